import { latest, rfc3339 } from './dates.js';
import { FeedError } from './errors.js';
import { sanitizeCached } from './sanitize-cache.js';
import type { FeedArticle, FeedChannel } from './types.js';
import { cleanText } from './xml.js';

/** One article made ready for any format: ids settled, dates checked, every string safe. */
export interface FeedEntry {
  /** The permalink, or a `tag:` URI where there is none. */
  id: string;
  /** True when `id` is the article's own web address. */
  isPermaLink: boolean;
  url: string | undefined;
  title: string;
  published: string;
  updated: string;
  summary: string;
  contentHtml: string;
  contentText: string;
  author: string | undefined;
  category: string | undefined;
  image: string | undefined;
  attachments: { url: string; title: string; mimeType: string }[];
  language: string | undefined;
}

export interface PreparedFeed {
  channel: Required<Pick<FeedChannel, 'title' | 'homeUrl' | 'language'>> & FeedChannel;
  id: string;
  description: string;
  updated: string;
  entries: FeedEntry[];
}

/** Checks the channel and turns articles into entries. Same input, same output: nothing reads the clock. */
export function prepareFeed(channel: FeedChannel, articles: readonly FeedArticle[]): PreparedFeed {
  requireAbsolute(channel.homeUrl, 'channel.homeUrl');
  if (channel.selfUrl !== undefined) requireAbsolute(channel.selfUrl, 'channel.selfUrl');
  if (channel.hub !== undefined) requireAbsolute(channel.hub, 'channel.hub');
  for (const name of ['currentUrl', 'prevArchiveUrl', 'nextArchiveUrl'] as const) {
    const url = channel[name];
    if (url === undefined) continue;
    requireAbsolute(url, `channel.${name}`);
    // JSON Feed forbids a next_url equal to feed_url; in any format it would be a loop.
    if (url === channel.selfUrl) {
      throw new FeedError('bad-url', `channel.${name} must not be the document's own URL (${url}).`);
    }
  }
  const entries = articles.map((article) => toEntry(article, channel));
  const newest = latest(entries.map((entry) => entry.updated));
  return {
    channel: { ...channel, language: channel.language ?? 'zh-CN' },
    id: cleanText(channel.id ?? channel.selfUrl ?? channel.homeUrl),
    description: cleanText(channel.description ?? channel.title),
    updated: rfc3339(newest ?? channel.updated ?? '1970-01-01T00:00:00Z'),
    entries,
  };
}

function toEntry(article: FeedArticle, channel: FeedChannel): FeedEntry {
  const url = article.url ? absoluteHttp(article.url, channel.homeUrl) : undefined;
  const isPermaLink = url !== undefined && (article.id === article.url || article.id === url);
  const published = rfc3339(article.publishedAt);
  return {
    id: isPermaLink ? url : entryTagUri(article, channel),
    isPermaLink,
    url,
    title: cleanText(article.title),
    published,
    updated: article.updatedAt ? rfc3339(article.updatedAt) : published,
    summary: cleanText(article.summary),
    // Articles may come from anywhere, not only our parser: the allow-list runs again here.
    contentHtml: cleanText(sanitizeCached(article.contentHtml, url ?? channel.homeUrl)),
    contentText: cleanText(article.contentText),
    author: article.author ? cleanText(article.author) : undefined,
    category: article.section ? cleanText(article.section) : undefined,
    image: article.images.find((image) => isHttpUrl(image.url))?.url,
    attachments: article.attachments
      .filter((attachment) => isHttpUrl(attachment.url))
      .map((attachment) => ({
        url: attachment.url,
        title: cleanText(attachment.title),
        mimeType: attachment.mimeType ?? 'application/octet-stream',
      })),
    language: article.language,
  };
}

/**
 * RFC 4151 tag URI for an article with no permalink: the source's host, the day it was
 * published, and its id. Stable as long as the article's id is.
 */
function entryTagUri(article: FeedArticle, channel: FeedChannel): string {
  if (/^(https?|tag|urn):/i.test(article.id) && !/\s/.test(article.id)) return cleanText(article.id);
  const host = new URL(channel.homeUrl).hostname;
  const day = rfc3339(article.publishedAt).slice(0, 10);
  return `tag:${host},${day}:${encodeURIComponent(cleanText(article.id))}`;
}

/** A link resolved against the source page; only http(s) survives. */
function absoluteHttp(value: string, base: string): string | undefined {
  try {
    const url = new URL(value, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function requireAbsolute(value: string | undefined, name: string): void {
  if (!value || !isHttpUrl(value)) {
    throw new FeedError('bad-url', `${name} must be an absolute http(s) URL, got "${value ?? ''}".`);
  }
}
