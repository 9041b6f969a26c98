import { closest } from '../config/suggest.js';
import { FEED_LANGUAGES, readFeedLanguage } from '../filter/chinese-script.js';
import { type FeedFilter, FILTER_LIMITS, filterWords } from '../filter/feed-filter.js';
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

/** Every option a feed URL takes. */
export const FEED_OPTIONS = ['limit', 'q', 'include', 'exclude', 'days', 'brief', 'lang'] as const;
/** `brief=N`: graphemes kept of summary and text. */
export const BRIEF_RANGE = { min: 10, max: 10_000 } as const;

/** A name a feed URL does not take is a mistake worth saying (a silently ignored `exlude` would look like a broken filter). */
function checkNames(params: URLSearchParams): void {
  for (const name of new Set(params.keys())) {
    if ((FEED_OPTIONS as readonly string[]).includes(name)) continue;
    const hint = closest(name, FEED_OPTIONS);
    throw new HttpError(
      400,
      'unknown-option',
      `Feed URLs take no option "${name}"${hint ? ` (did you mean ${hint}?)` : ''}; they take ${FEED_OPTIONS.join(', ')}.`,
    );
  }
}

/** A whole number in [min, max], or undefined when not given. */
function readWhole(params: URLSearchParams, name: string, min: number, max: number): number | undefined {
  const raw = single(params, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    throw new HttpError(400, `bad-${name}`, `${name} must be a whole number from ${min} to ${max}.`);
  }
  return value;
}

/** `include=招生,高考`: literal words, comma-separated, folded, sorted (so their order does not make a new view). */
function readWords(params: URLSearchParams, name: 'include' | 'exclude'): string[] {
  const raw = single(params, name);
  if (raw === undefined) return [];
  const given = raw.split(',').filter((word) => word.trim() !== '');
  if (given.length > FILTER_LIMITS.words) {
    throw new HttpError(400, `bad-${name}`, `${name} takes at most ${FILTER_LIMITS.words} words.`);
  }
  const long = given.find((word) => [...word.trim()].length > FILTER_LIMITS.wordLength);
  if (long !== undefined) {
    throw new HttpError(
      400,
      `bad-${name}`,
      `${name}: "${long.trim().slice(0, 20)}…" is longer than ${FILTER_LIMITS.wordLength} characters.`,
    );
  }
  return filterWords(given).sort();
}

function readFilter(params: URLSearchParams): FeedFilter | undefined {
  const include = readWords(params, 'include');
  const exclude = readWords(params, 'exclude');
  const days = readWhole(params, 'days', 1, FILTER_LIMITS.days);
  if (include.length === 0 && exclude.length === 0 && days === undefined) return undefined;
  return { include, exclude, ...(days !== undefined && { days }) };
}

/**
 * A feed URL's options: `limit` (capped), `q` (a literal keyword), `include`/`exclude`/`days`
 * (filters), `brief`, `lang`; undefined for the default view. Anything else, or a value out of
 * range, is a 400 that says what to write instead.
 */
export function readFeedQuery(search: string): FeedQuery | undefined {
  const params = new URLSearchParams(search);
  checkNames(params);
  const limit = readLimit(params, DEFAULT_LIMIT, MAX_LIMIT);
  const q = single(params, 'q');
  if (q !== undefined && q.length > MAX_QUERY_LENGTH) {
    throw new HttpError(400, 'bad-q', `q may be at most ${MAX_QUERY_LENGTH} characters.`);
  }
  const keyword = q?.trim();
  const filter = readFilter(params);
  const brief = readWhole(params, 'brief', BRIEF_RANGE.min, BRIEF_RANGE.max);
  const langParam = single(params, 'lang');
  const lang = langParam === undefined ? undefined : readFeedLanguage(langParam);
  if (langParam !== undefined && !lang) {
    throw new HttpError(
      400,
      'bad-lang',
      `lang converts to Traditional Chinese: ${FEED_LANGUAGES.join(', ')} (leave it out for the feed as published).`,
    );
  }
  if (!keyword && !filter && brief === undefined && !lang && limit === DEFAULT_LIMIT) return undefined;
  return {
    limit,
    ...(keyword ? { q: keyword } : {}),
    ...(filter && { filter }),
    ...(brief !== undefined && { brief }),
    ...(lang && { lang }),
  };
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
