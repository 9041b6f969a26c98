import type { Fetcher, FetchResult } from '@tidings/fetch';
import {
  type Article,
  autoProfile,
  type CandidateSignals,
  decodeBytes,
  type ListingResult,
  type ListRules,
  listingUrl,
  type ProfileSpec,
  parseArticle,
  parseListing,
  profileToSpec,
  type SiteProfile,
  type SkippedItem,
} from '@tidings/parser';
import type { SourceConfig } from '../config/types.js';
import type { Logger } from '../logger.js';
import { type PageRenderer, renderedListingPage } from '../refresh/render-page.js';
import { pickerPage } from './picker-page.js';

/** One preview reads two pages at most; neither may take longer than this, retries included. */
export const PREVIEW_TIMEOUT_MS = 20_000;
/** What the answer lists: as many as a feed shows, a few per candidate, a few of what was skipped. */
const ARTICLES_SHOWN = 50;
const CANDIDATE_ARTICLES = 5;
const SKIPPED_SHOWN = 20;
const ARTICLE_TEXT_CHARS = 2000;

export interface PreviewDeps {
  fetcher: Pick<Fetcher, 'fetch'>;
  renderer: PageRenderer;
  logger: Logger;
}

export interface PreviewArticle {
  title: string;
  url: string | null;
  publishedAt: string;
  summary: string;
}

export interface PreviewCandidate {
  item: string;
  count: number;
  score: number;
  signals: CandidateSignals;
  /** The list rules that read this block, as a written profile's `list`. */
  list: ProfileSpec['list'];
  /** Its first items, read with those rules; `error` when they read none here. */
  articles: PreviewArticle[];
  error?: string;
}

/** The answer of `POST /api/preview` (docs/admin-api.md). */
export interface PreviewAnswer {
  url: string;
  /** What a source would write as `profile:` to publish `articles`. */
  profile: string | ProfileSpec;
  detection: { chosen: number; candidates: PreviewCandidate[] } | null;
  articles: PreviewArticle[];
  article: {
    url: string;
    title: string;
    publishedAt: string;
    author: string | null;
    text: string;
  } | null;
  /** Why `article` is null when there was an article to read. */
  articleError?: string;
  skipped: SkippedItem[];
  pages: { next: string | null; total: number | null };
  page: { url: string; html: string } | null;
  timings: { fetchMs: number; parseMs: number; pageMs: number; articleMs: number };
}

/**
 * What a source would publish, before it is saved: its first listing page fetched (or rendered)
 * as a refresh would, read with its profile or by detection (each candidate block with its own
 * first items), the first article's page read as the feed would, and the listing page made
 * harmless for the picker. Bounded: two fetches, each under PREVIEW_TIMEOUT_MS and the fetcher's
 * size cap; the candidates are read from the one page already fetched.
 *
 * `written` is the profile as the request wrote it (the answer gives it back as it came).
 */
export async function preview(
  source: SourceConfig,
  written: ProfileSpec | string | undefined,
  deps: PreviewDeps,
): Promise<PreviewAnswer> {
  const clock = stopwatch();
  const page = await fetchListing(source, deps);
  const fetchMs = clock();

  let used: SiteProfile = autoProfile;
  const read = (profile: SiteProfile | string | undefined): ListingResult =>
    parseListing(page.body, {
      url: page.url,
      ...(page.contentType ? { contentType: page.contentType } : {}),
      ...(profile !== undefined && { profile }),
      onProfile: (chosen) => {
        used = chosen;
      },
    });
  const listing = read(source.profile);
  const profileUsed: SiteProfile = used;
  const detection = listing.detection
    ? {
        chosen: 0,
        candidates: listing.detection.candidates.map((candidate, index) => {
          const articles =
            index === 0
              ? { articles: listing.articles.slice(0, CANDIDATE_ARTICLES).map(shown) }
              : candidateArticles(() => read({ ...profileUsed, list: candidate.list }));
          return {
            item: candidate.item,
            count: candidate.count,
            score: candidate.score,
            signals: candidate.signals,
            list: listSpec(profileUsed, candidate.list),
            ...articles,
          };
        }),
      }
    : null;
  const parseMs = clock();

  const html = isMarkup(page) ? pickerPage(decodeBytes(page.body, page.contentType).text, page.url) : null;
  const pageMs = clock();

  const first = listing.articles.find((article) => article.url);
  const article = first?.url ? await readArticle(first.url, source, deps) : { article: null };
  const articleMs = clock();

  return {
    url: page.url,
    profile: profileAnswer(listing, profileUsed, written),
    detection,
    articles: listing.articles.slice(0, ARTICLES_SHOWN).map(shown),
    ...article,
    skipped: listing.skipped.slice(0, SKIPPED_SHOWN),
    pages: { next: listing.pages.next ?? null, total: listing.pages.total },
    page: html === null ? null : { url: page.url, html },
    timings: { fetchMs, parseMs, pageMs, articleMs },
  };
}

function fetchListing(source: SourceConfig, deps: PreviewDeps): Promise<FetchResult> {
  const url = listingUrl(source.url, source.profile);
  if (source.render === 'browser') {
    return renderedListingPage(url, source, { ...deps, fetcher: deps.fetcher }, () => undefined);
  }
  return deps.fetcher.fetch(url, {
    allowPrivateNetwork: source.allowPrivateNetwork,
    signal: AbortSignal.timeout(PREVIEW_TIMEOUT_MS),
  });
}

/** The first article's own page, read as a refresh reads it; null (and why) when it cannot be. */
async function readArticle(
  url: string,
  source: SourceConfig,
  deps: PreviewDeps,
): Promise<Pick<PreviewAnswer, 'article' | 'articleError'>> {
  try {
    const page = await deps.fetcher.fetch(url, {
      allowPrivateNetwork: source.allowPrivateNetwork,
      signal: AbortSignal.timeout(PREVIEW_TIMEOUT_MS),
    });
    const article = parseArticle(page.body, {
      url,
      ...(page.contentType ? { contentType: page.contentType } : {}),
      ...(source.profile !== undefined && { profile: source.profile }),
    });
    return {
      article: {
        url: article.url ?? url,
        title: article.title,
        publishedAt: article.publishedAt,
        author: article.author ?? null,
        text: article.contentText.slice(0, ARTICLE_TEXT_CHARS),
      },
    };
  } catch (error) {
    return { article: null, articleError: error instanceof Error ? error.message : String(error) };
  }
}

function candidateArticles(read: () => ListingResult): Pick<PreviewCandidate, 'articles' | 'error'> {
  try {
    return { articles: read().articles.slice(0, CANDIDATE_ARTICLES).map(shown) };
  } catch (error) {
    return { articles: [], error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The profile to save: found by detection → written out (so the console can tune it); a
 * registered one chosen by URL or page → its id; a given one → as given.
 */
function profileAnswer(
  listing: ListingResult,
  used: SiteProfile,
  written: ProfileSpec | string | undefined,
): string | ProfileSpec {
  if (listing.detection) return profileToSpec({ ...used, list: listing.detection.list });
  if (listing.jsonDetection) {
    const { list: _list, ...rest } = used;
    return profileToSpec({ ...rest, json: listing.jsonDetection.rules });
  }
  return written ?? used.id;
}

function listSpec(profile: SiteProfile, list: ListRules): ProfileSpec['list'] {
  return profileToSpec({ ...profile, list }).list;
}

function shown(article: Article): PreviewArticle {
  return {
    title: article.title,
    url: article.url ?? null,
    publishedAt: article.publishedAt,
    summary: article.summary,
  };
}

/** HTML (or XHTML) the picker can show; JSON and text listings have no elements to click. */
function isMarkup(page: FetchResult): boolean {
  if (page.contentType) return /html|xml/i.test(page.contentType);
  const start = Buffer.from(page.body.subarray(0, 512)).toString('latin1').trimStart();
  return start.startsWith('<');
}

/** Milliseconds since the last call (or since it was made). */
function stopwatch(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const elapsed = Math.round(now - last);
    last = now;
    return elapsed;
  };
}
