import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RenderedFeed } from '../feeds/feed-cache.js';

export type FeedAnswer = 'hit' | 'not_modified';

type Encoding = 'br' | 'gzip' | 'identity';
type Headers = Record<string, string | number>;

/** The best encoding the client accepts among those we hold ready (q-values honoured). */
export function chooseEncoding(
  header: string | undefined,
  available: { br: boolean; gzip: boolean },
): Encoding {
  if (!header) return 'identity';
  const accepted = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params
      .map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1])
      .find((value) => value !== undefined);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const weight = (name: string) => accepted.get(name) ?? accepted.get('*') ?? 0;
  if (available.br && weight('br') > 0) return 'br';
  if (available.gzip && weight('gzip') > 0) return 'gzip';
  return 'identity';
}

function matchesEtag(header: string, etag: string): boolean {
  if (header === etag) return true;
  if (header.trim() === '*') return true;
  // If-None-Match compares weakly: W/"x" matches "x".
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

function notModifiedSince(header: string | undefined, lastModified: string): boolean {
  if (!header) return false;
  const since = Date.parse(header);
  return !Number.isNaN(since) && Date.parse(lastModified) <= since;
}

interface PreparedHeaders {
  notModified: Headers;
  identity: Headers;
  gzip: Headers;
  br: Headers;
}

// Header objects built once per rendered feed (a new render is a new object, so nothing goes stale).
const prepared = new WeakMap<RenderedFeed, PreparedHeaders>();

function headersFor(feed: RenderedFeed, extra: Record<string, string>): PreparedHeaders {
  let headers = prepared.get(feed);
  if (!headers) {
    const validators = {
      ETag: feed.etag,
      'Last-Modified': feed.lastModified,
      'Cache-Control': feed.cacheControl,
      Vary: 'Accept-Encoding',
      ...extra,
    };
    const ok = { 'Content-Type': feed.contentType, 'X-Content-Type-Options': 'nosniff', ...validators };
    headers = {
      notModified: validators,
      identity: { ...ok, 'Content-Length': feed.body.length },
      gzip: { ...ok, 'Content-Encoding': 'gzip', 'Content-Length': feed.gzip.length },
      br: { ...ok, 'Content-Encoding': 'br', 'Content-Length': feed.br.length },
    };
    prepared.set(feed, headers);
  }
  return headers;
}

/**
 * Answers a feed request from a rendered feed: 304 when the client's copy is current, else the
 * body in the best encoding held. Headers are prepared once per render: this is the hot path.
 */
export function sendFeed(
  request: IncomingMessage,
  response: ServerResponse,
  feed: RenderedFeed,
  extraHeaders: Record<string, string>,
): FeedAnswer {
  const headers = headersFor(feed, extraHeaders);
  const ifNoneMatch = request.headers['if-none-match'];
  const current =
    ifNoneMatch !== undefined
      ? matchesEtag(ifNoneMatch, feed.etag)
      : notModifiedSince(request.headers['if-modified-since'], feed.lastModified);
  if (current) {
    response.writeHead(304, headers.notModified);
    response.end();
    return 'not_modified';
  }
  const encoding = chooseEncoding(request.headers['accept-encoding'], {
    br: feed.br.length > 0,
    gzip: feed.gzip.length > 0,
  });
  const body = encoding === 'br' ? feed.br : encoding === 'gzip' ? feed.gzip : feed.body;
  response.writeHead(200, headers[encoding]);
  response.end(request.method === 'HEAD' ? undefined : body);
  return 'hit';
}
