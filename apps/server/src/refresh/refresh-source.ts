import type { Fetcher, FetchRequest, FetchResult } from '@tidings/fetch';
import {
  type Article,
  autoProfile,
  type ListDetection,
  type ListingResult,
  listingUrl,
  type PageInfo,
  type PageRequest,
  type ProfileChoice,
  parseArticle,
  parseListing,
  profileToSpec,
  type SkippedItem,
  type SkipReason,
} from '@tidings/parser';
import { DEFAULT_LIMITS, type Limits, type SourceConfig } from '../config/types.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Backend, RefreshLease } from '../store/backend.js';
import type { OutboxTarget } from '../store/outbox.js';
import { capArticleText } from './cap-text.js';
import { mapWithLimit } from './pool.js';
import { type PageRenderer, renderedListingPage } from './render-page.js';
import { redactSecrets, sourceHeaders } from './source-requests.js';

export interface RefreshDeps {
  backend: Backend;
  /** The right to write this source's articles; writes are fenced by it. */
  lease?: RefreshLease;
  /** Destinations to queue the new (and edited) articles for, in the upsert's transaction. */
  outbox?: readonly OutboxTarget[];
  fetcher: Pick<Fetcher, 'fetch'>;
  /** Renders the listing pages of `render: browser` sources (one browser for the process). */
  renderer?: PageRenderer;
  logger: Logger;
  metrics: Metrics;
  now?: () => Date;
  /** Article pages fetched at once per source (the fetcher also limits per host). */
  articleConcurrency?: number;
  limits?: Pick<Limits, 'articlesPerPage' | 'articlePagesPerRun' | 'articleTextChars'>;
}

export interface RefreshOutcome {
  /** `skipped`: another instance holds the source's lease, or refreshed it less than an interval ago. */
  outcome: 'ok' | 'not_modified' | 'error' | 'skipped';
  /** For `skipped`: why, and when asking again makes sense. */
  skipped?: { reason: 'held' | 'fresh'; retryInMs: number };
  pages: number;
  listed: number;
  articlePages: number;
  articlePageErrors: number;
  /** Listing items left out because their link, title or date is unusable (a CMS glitch). */
  itemsSkipped: number;
  added: number;
  updated: number;
  /** True when stored articles changed: the feeds must be rendered again. */
  changed: boolean;
  error?: Error;
  durationMs: number;
}

/** An outcome with nothing counted yet. */
export function emptyOutcome(outcome: RefreshOutcome['outcome']): RefreshOutcome {
  return {
    outcome,
    pages: 0,
    listed: 0,
    articlePages: 0,
    articlePageErrors: 0,
    itemsSkipped: 0,
    added: 0,
    updated: 0,
    changed: false,
    durationMs: 0,
  };
}

/** An item a listing page left out, with the page it was on. */
interface PageSkippedItem extends SkippedItem {
  /** The listing page. */
  url: string;
}

/** How many skipped items the `refreshed` line shows; the rest are only counted. */
const LOGGED_SKIPPED_ITEMS = 5;

/** The listing shows the item differently from what we stored: retitled or redated. */
function listingChanged(stored: Article, item: Article): boolean {
  return stored.title !== item.title || stored.publishedAt.slice(0, 10) !== item.publishedAt.slice(0, 10);
}

/** A listing item's article page is worth fetching when we have never read it or the listing changed it. */
function needsArticlePage(item: Article, stored: Article | undefined): boolean {
  if (!item.url) return false;
  if (!stored || listingChanged(stored, item)) return true;
  // Only a listing's version is stored (its article page failed last time): try again.
  return stored.datePrecision === 'day' || stored.contentHtml === '';
}

/**
 * One refresh of one source: listing pages (conditionally, page 1 first), then article pages for
 * new or changed items, then one upsert. A failure changes nothing stored but the status.
 */
export async function refreshSource(source: SourceConfig, deps: RefreshDeps): Promise<RefreshOutcome> {
  const { backend, logger, metrics, lease } = deps;
  const now = deps.now ?? (() => new Date());
  const started = Date.now();
  const status = await backend.getStatus(source.id);
  const result = emptyOutcome('ok');
  await backend.updateStatus(source.id, { lastAttemptAt: now().toISOString() });
  const headersFor = sourceHeaders(source);
  // The source's header and cookie values never reach a log line or /healthz.
  const redact = redactSecrets(source);
  const describe = (error: unknown) => redact(errorText(error));

  const fetchPage = async (
    url: string,
    kind: 'listing' | 'article',
    request: Pick<FetchRequest, 'etag' | 'lastModified' | 'form'> = {},
  ): Promise<FetchResult> => {
    const timer = metrics.fetchSeconds.startTimer({ source: source.id, kind });
    try {
      const page =
        kind === 'listing' && source.render === 'browser'
          ? await renderedListingPage(url, source, deps, headersFor)
          : await deps.fetcher.fetch(url, {
              ...request,
              allowPrivateNetwork: source.allowPrivateNetwork,
              headers: headersFor(url),
            });
      metrics.fetches.inc({ source: source.id, kind, outcome: page.notModified ? 'not_modified' : 'ok' });
      return page;
    } catch (error) {
      metrics.fetches.inc({ source: source.id, kind, outcome: 'error' });
      throw error;
    } finally {
      timer();
    }
  };
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const firstSkipped: PageSkippedItem[] = [];
  const countSkipped = (url: string, skipped: readonly SkippedItem[]) => {
    result.itemsSkipped += skipped.length;
    for (const [reason, count] of countByReason(skipped))
      metrics.itemsSkipped.inc({ source: source.id, reason }, count);
    const room = LOGGED_SKIPPED_ITEMS - firstSkipped.length;
    firstSkipped.push(...skipped.slice(0, room).map((item) => ({ url, ...item })));
  };
  const parse = (page: FetchResult, request?: PageRequest): ListingResult => {
    let choice: ProfileUsed | undefined;
    const listing = parseListing(page.body, {
      url: page.url,
      ...(page.contentType ? { contentType: page.contentType } : {}),
      ...(source.profile !== undefined && { profile: source.profile }),
      ...(request?.method === 'POST' && { request }),
      now: now(),
      onProfile: (profile, chosenBy) => {
        choice = { profile: profile.id, chosenBy };
      },
    });
    if (listing.detection && choice) logDetection(source.id, page.url, listing.detection, choice, logger);
    countSkipped(page.url, listing.skipped);
    if (listing.articles.length <= limits.articlesPerPage) return listing;
    limitHit('articlesPerPage', {
      url: page.url,
      found: listing.articles.length,
      kept: limits.articlesPerPage,
    });
    return { ...listing, articles: listing.articles.slice(0, limits.articlesPerPage) };
  };
  const limitHit = (limit: string, details: object) => {
    metrics.limitsHit.inc({ source: source.id, limit });
    logger.warn({ source: source.id, limit, ...details }, `limit ${limit} reached`);
  };

  try {
    const first = await fetchPage(listingUrl(source.url, source.profile), 'listing', {
      etag: status.etag,
      lastModified: status.lastModified,
    });
    result.pages = 1;
    if (first.notModified) {
      result.outcome = 'not_modified';
      return await finish(result, source, deps, started, now, {});
    }
    const listings = [parse(first)];
    let complete = true;
    // Numbered pages are all known from the first; otherwise each page names the next: its "next"
    // link, or a request to send (Hanweb's dataproxy.jsp is POSTed a form).
    const numbered = (listings[0] as ListingResult).pages.urls;
    const nextAfter = (read: number, listing: ListingResult | undefined): PageRequest | undefined =>
      numbered.length > 1 ? getRequest(numbered[read]) : listing && nextRequest(listing.pages);
    const visited = new Set([source.url, first.url]);
    let next = nextAfter(1, listings[0]);
    for (let read = 1; next && read < source.pages && !visited.has(requestKey(next)); read++) {
      visited.add(requestKey(next));
      const { url } = next;
      let listing: ListingResult | undefined;
      try {
        const form = next.method === 'POST' && next.body !== undefined ? { form: next.body } : {};
        listing = parse(await fetchPage(url, 'listing', form), next);
        listings.push(listing);
        result.pages++;
      } catch (error) {
        // Later pages only add older items: keep what the first pages gave, note the gap.
        complete = false;
        logger.warn(
          { source: source.id, url, err: describe(error) },
          'listing page failed; keeping the others',
        );
      }
      next = nextAfter(read + 1, listing);
    }

    const seen = new Set<string>();
    const items = listings
      .flatMap((listing) => listing.articles)
      .filter((item) => !seen.has(item.id) && seen.add(item.id));
    result.listed = items.length;

    const stored = await backend.getArticles(
      source.id,
      items.map((item) => item.id),
    );
    const storedById = new Map(items.map((item) => [item.id, stored.get(item.id)?.article]));
    const needed = source.fullText
      ? items.filter((item) => needsArticlePage(item, storedById.get(item.id)))
      : [];
    // The newest first; what is left over waits for the next run (it still needs its page then).
    const wanted = needed.slice(0, limits.articlePagesPerRun);
    if (needed.length > wanted.length) {
      complete = false;
      limitHit('articlePagesPerRun', { needed: needed.length, fetched: wanted.length });
    }
    const pages = await mapWithLimit(wanted, deps.articleConcurrency ?? 4, async (item) => {
      try {
        const page = await fetchPage(item.url as string, 'article');
        return parseArticle(page.body, {
          url: item.url as string,
          ...(page.contentType ? { contentType: page.contentType } : {}),
          ...(source.profile !== undefined && { profile: source.profile }),
          now: now(),
        });
      } catch (error) {
        result.articlePageErrors++;
        logger.warn(
          { source: source.id, url: item.url, err: describe(error) },
          'article page failed; keeping the listing text',
        );
        return undefined;
      }
    });
    result.articlePages = wanted.length;
    const fromPages = new Map(wanted.map((item, index) => [item.id, pages[index]]));

    const articles = items.map((item) => {
      const page = fromPages.get(item.id);
      if (page)
        return { ...page, section: page.section ?? item.section, summary: page.summary || item.summary };
      const stored = storedById.get(item.id);
      if (!stored || !source.fullText) return item;
      // Unchanged items keep what their article page gave; the listing's shorter copy would churn.
      if (!listingChanged(stored, item)) return stored;
      // Retitled or redated, and its page could not be read this run: take the listing's title and
      // date, keep the body, images and attachments the page gave rather than the listing's copy.
      return {
        ...stored,
        title: item.title,
        publishedAt: item.publishedAt,
        datePrecision: item.datePrecision,
      };
    });
    const capped = articles.map((article) => {
      const cut = capArticleText(article, limits.articleTextChars);
      if (cut !== article)
        limitHit('articleTextChars', { url: article.url, chars: article.contentText.length });
      return cut;
    });
    const upsert = await backend.upsertArticles(
      source.id,
      capped,
      now().toISOString(),
      lease,
      deps.outbox ? { outbox: deps.outbox } : undefined,
    );
    result.added = upsert.added;
    result.updated = upsert.updated;
    result.changed = upsert.changed;
    const dropped = await backend.applyRetention(source.id, source.retention, now().toISOString(), lease);
    if (dropped > 0) result.changed = true;

    // Validators only after a complete run, so an incomplete one is retried in full next time.
    const validators =
      complete && result.articlePageErrors === 0
        ? { etag: first.etag, lastModified: first.lastModified }
        : {};
    return await finish(result, source, deps, started, now, validators, firstSkipped);
  } catch (error) {
    result.outcome = 'error';
    result.error = error instanceof Error ? error : new Error(String(error));
    await backend.updateStatus(source.id, {
      lastError: describe(error),
      lastErrorAt: now().toISOString(),
      consecutiveFailures: status.consecutiveFailures + 1,
    });
    result.durationMs = Date.now() - started;
    metrics.refreshes.inc({ source: source.id, outcome: 'error' });
    metrics.consecutiveFailures.set({ source: source.id }, status.consecutiveFailures + 1);
    logger.error(
      {
        source: source.id,
        err: describe(error),
        failures: status.consecutiveFailures + 1,
        durationMs: result.durationMs,
      },
      'refresh failed; serving the last good data',
    );
    return result;
  }
}

async function finish(
  result: RefreshOutcome,
  source: SourceConfig,
  deps: RefreshDeps,
  started: number,
  now: () => Date,
  validators: { etag?: string | undefined; lastModified?: string | undefined },
  firstSkipped: readonly PageSkippedItem[] = [],
): Promise<RefreshOutcome> {
  const { backend, metrics, logger } = deps;
  await backend.updateStatus(source.id, {
    lastSuccessAt: now().toISOString(),
    lastError: undefined,
    lastErrorAt: undefined,
    consecutiveFailures: 0,
    ...(result.outcome === 'not_modified'
      ? {}
      : { etag: validators.etag, lastModified: validators.lastModified }),
  });
  result.durationMs = Date.now() - started;
  const count = await backend.countArticles(source.id);
  metrics.refreshes.inc({ source: source.id, outcome: result.outcome });
  metrics.refreshSeconds.observe({ source: source.id }, result.durationMs / 1000);
  metrics.articles.set({ source: source.id }, count);
  metrics.consecutiveFailures.set({ source: source.id }, 0);
  const { error: _error, ...line } = result;
  logger.info(
    {
      source: source.id,
      ...line,
      stored: count,
      ...(firstSkipped.length > 0 && { firstSkippedItems: firstSkipped }),
    },
    'refreshed',
  );
  return result;
}

function countByReason(skipped: readonly SkippedItem[]): Map<SkipReason, number> {
  const counts = new Map<SkipReason, number>();
  for (const { reason } of skipped) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return counts;
}

/** How to ask for the page after this one: a GET of its "next", or the request the page names. */
function nextRequest(pages: PageInfo): PageRequest | undefined {
  return pages.nextRequest ?? getRequest(pages.next);
}

function getRequest(url: string | undefined): PageRequest | undefined {
  return url === undefined ? undefined : { url, method: 'GET' };
}

/** Requests to one URL with different forms ask for different pages. */
function requestKey(request: PageRequest): string {
  return request.body === undefined ? request.url : `${request.url}\n${request.body}`;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

// What detection chose per source, so a change is logged once at info and repeats stay at debug.
const lastDetected = new Map<string, string>();

/** Which profile read a page and why: `chosenBy: 'fallback'` when none fits and detection stood in. */
type ProfileUsed = { profile: string; chosenBy: ProfileChoice };

function logDetection(
  sourceId: string,
  url: string,
  detection: ListDetection,
  used: ProfileUsed,
  logger: Logger,
): void {
  const chosen = `${used.profile}: ${detection.list.item} (${detection.count})`;
  const details = {
    source: sourceId,
    url,
    ...used,
    item: detection.list.item,
    count: detection.count,
    score: detection.score,
  };
  if (lastDetected.get(sourceId) === chosen) {
    logger.debug(details, 'detected the article list');
    return;
  }
  lastDetected.set(sourceId, chosen);
  logger.info(
    { ...details, list: profileToSpec({ ...autoProfile, list: detection.list }).list },
    'detected the article list',
  );
}
