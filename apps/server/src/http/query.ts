import { DEFAULT_LIMIT, MAX_LIMIT } from '../views/feed-cache.js';
import type { FeedQuery, WidgetQuery } from '../views/views.js';

/** A request the client must change: answered with its status and a message that says how. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const MAX_QUERY_LENGTH = 200;
const WIDGET_DEFAULT_LIMIT = 10;
const WIDGET_MAX_LIMIT = 100;

/** One value per name: `?limit=5&limit=6` is a mistake worth saying, not a guess. */
function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length > 1) throw new HttpError(400, 'bad-query', `Give ${name} at most once.`);
  return values[0];
}

function readLimit(params: URLSearchParams, fallback: number, max: number): number {
  const raw = single(params, 'limit');
  if (raw === undefined) return fallback;
  const count = Number(raw);
  if (raw === '' || !Number.isInteger(count) || count < 1) {
    throw new HttpError(400, 'bad-limit', 'limit must be a whole number ≥ 1.');
  }
  return Math.min(count, max);
}

/** `?limit=` (capped) and `?q=` (a literal keyword) of a feed URL; undefined for the default view. */
export function readFeedQuery(search: string): FeedQuery | undefined {
  const params = new URLSearchParams(search);
  const limit = readLimit(params, DEFAULT_LIMIT, MAX_LIMIT);
  const q = single(params, 'q');
  if (q !== undefined && q.length > MAX_QUERY_LENGTH) {
    throw new HttpError(400, 'bad-q', `q may be at most ${MAX_QUERY_LENGTH} characters.`);
  }
  const keyword = q?.trim();
  if (!keyword && limit === DEFAULT_LIMIT) return undefined;
  return { limit, ...(keyword ? { q: keyword } : {}) };
}

/** `?summary`, `?summary=1` and `?summary=true` turn an option on; anything else given turns it off. */
function flag(params: URLSearchParams, name: string, fallback: boolean): boolean {
  const value = single(params, name);
  if (value === undefined) return fallback;
  return value === '1' || value === 'true' || value === '';
}

/** The options of /widget/<id>; whatever is not recognised falls back to the default. */
export function readWidgetQuery(search: string): WidgetQuery {
  const params = new URLSearchParams(search);
  const theme = single(params, 'theme');
  return {
    limit: readLimit(params, WIDGET_DEFAULT_LIMIT, WIDGET_MAX_LIMIT),
    theme: theme === 'light' || theme === 'dark' ? theme : 'auto',
    layout: single(params, 'layout') === 'cards' ? 'cards' : 'list',
    summary: flag(params, 'summary', false),
    date: flag(params, 'date', true),
    image: flag(params, 'image', false),
  };
}
