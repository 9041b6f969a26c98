import { safeUrl } from './safe-url.js';

/** One item, reduced to what the element shows. Every string is plain text; URLs are absolute http(s). */
export interface FeedItem {
  id: string;
  /** The permalink, or null when missing or not http(s) (the title then renders as text). */
  url: string | null;
  title: string;
  /** `summary`, else an excerpt of `content_text`. */
  summary: string | null;
  /** `date_published` exactly as the feed wrote it. */
  date: string | null;
  image: string | null;
  language: string | null;
}

export interface Feed {
  title: string | null;
  homePageUrl: string | null;
  language: string | null;
  items: FeedItem[];
}

export interface FetchedFeed {
  feed: Feed;
  /** The response's Cache-Control header (CORS-safelisted, so readable cross-origin). */
  cacheControl: string | null;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A string with its whitespace collapsed, or null for anything else or nothing. */
function text(value: unknown): string | null {
  return typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() || null : null;
}

/** At most `max` characters (whole code points), with an ellipsis when cut. */
export function excerpt(value: string, max: number): string {
  const chars = Array.from(value);
  return chars.length > max
    ? `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`
    : value;
}

/**
 * Validates a parsed JSON Feed (1.0 or 1.1) and keeps the fields the element uses. Throws on
 * anything that is not a JSON Feed; skips items that are not objects or have nothing to show.
 * URLs resolve against `base` (the feed's own URL) and survive only as http(s).
 */
export function parseFeed(data: unknown, base: string): Feed {
  if (
    !isObject(data) ||
    typeof data.version !== 'string' ||
    !data.version.includes('jsonfeed.org/version/') ||
    !Array.isArray(data.items)
  ) {
    throw new Error('Not a JSON Feed');
  }
  const items: FeedItem[] = [];
  for (const item of data.items) {
    if (!isObject(item)) continue;
    const url = safeUrl(item.url, base);
    const body = text(item.summary) ?? text(item.content_text);
    const named = text(item.title);
    // Without a title the text stands in for it (and is not repeated as the summary).
    const title = named ?? (body && excerpt(body, 80)) ?? url;
    if (!title) continue;
    items.push({
      id: typeof item.id === 'string' || typeof item.id === 'number' ? String(item.id) : (url ?? title),
      url,
      title,
      summary: named && body && excerpt(body, 300),
      date: text(item.date_published),
      image: safeUrl(item.image, base),
      language: text(item.language),
    });
  }
  return {
    title: text(data.title),
    homePageUrl: safeUrl(data.home_page_url, base),
    language: text(data.language),
    items,
  };
}

/** Fetches `src` over CORS (the browser's HTTP cache and ETag revalidation apply) and parses it. */
export async function fetchFeed(src: string, init: RequestInit): Promise<FetchedFeed> {
  const response = await fetch(src, init);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  let data: unknown;
  try {
    data = await response.json();
  } catch {
    throw new Error('Not JSON');
  }
  return {
    feed: parseFeed(data, response.url || src),
    cacheControl: response.headers.get('cache-control'),
  };
}
