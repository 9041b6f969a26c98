import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { profileFromSpec, profileSpecKeys, profileSpecSchema, profiles } from '@tidings/parser';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { FEED_LANGUAGES, readFeedLanguage } from '../filter/chinese-script.js';
import { FILTER_LIMITS, filterWords } from '../filter/feed-filter.js';
import { parseDuration } from './duration.js';
import {
  DELIVERY_KEYS,
  deliverySchema,
  EMAIL_KEYS,
  nameDestinations,
  notifySchema,
  WEBHOOK_KEYS,
} from './notify-schema.js';
import { cookiesSchema, headersSchema } from './request-headers.js';
import { show } from './show.js';
import { closest } from './suggest.js';
import {
  DEFAULT_FEED_SIZE,
  DEFAULT_LIMITS,
  DEFAULT_RATE_LIMIT,
  type DerivedFeedConfig,
  type Limits,
  MAX_FEED_SIZE,
  type ServerConfig,
  type SourceConfig,
} from './types.js';

/** What the YAML file gives; the environment adds the rest of ServerConfig. */
export type ConfigFile = Omit<ServerConfig, 'port' | 'dataDir' | 'file'>;

const SOURCE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const DEFAULT_REFRESH_MS = 30 * 60_000;
/** Low enough for a snapshot or a local test site; being polite to real sites is the operator's call. */
export const MIN_DURATION_MS = 1000;
export const MAX_PAGES = 50;

const TOP_KEYS = [
  'sources',
  'feeds',
  'publicUrl',
  'store',
  'lockTtl',
  'hub',
  'limits',
  'rateLimit',
  'admin',
  'delivery',
] as const;
const ADMIN_KEYS = ['token'] as const;
/** Long enough not to be guessed within any rate limit. */
export const MIN_ADMIN_TOKEN_LENGTH = 16;
const LIMIT_KEYS = [
  'pageBytes',
  'fetchTimeout',
  'redirects',
  'articlesPerPage',
  'articlePagesPerRun',
  'articleTextChars',
] as const;
const RATE_LIMIT_KEYS = ['perMinute', 'burst', 'trustProxy'] as const;
const SOURCE_KEYS = [
  'id',
  'url',
  'enabled',
  'profile',
  'pages',
  'refresh',
  'fullText',
  'retention',
  'feedSize',
  'allowPrivateNetwork',
  'snapshot',
  'title',
  'render',
  'headers',
  'cookies',
  'notify',
] as const;
const RETENTION_KEYS = ['maxArticles', 'maxAge'] as const;
const FEED_KEYS = [
  'id',
  'source',
  'include',
  'exclude',
  'days',
  'lang',
  'title',
  'description',
  'notify',
] as const;

/**
 * The config file's schema. Strict at every level, so a misspelt key is an error rather than a
 * silently ignored setting. `baseDir` is the file's directory: `snapshot` paths are relative to it;
 * `env` fills in the `${TIDINGS_…}` references in `headers` and `cookies`.
 */
export function configFileSchema(baseDir: string, env: NodeJS.ProcessEnv = process.env) {
  const retention = z.strictObject({
    maxArticles: z.int().min(1).optional(),
    maxAge: duration().optional(),
  } satisfies Record<(typeof RETENTION_KEYS)[number], z.ZodType>);

  const source = z
    .strictObject({
      id: z.string().refine((id) => SOURCE_ID.test(id), {
        error: (issue) =>
          `${show(issue.input)} is not a valid id (lowercase letters, digits and dashes, starting with a letter or digit, at most 64 characters)`,
      }),
      url: httpUrl(),
      enabled: z.boolean().default(true),
      profile: profile().optional(),
      pages: z.int().min(1).max(MAX_PAGES).default(1),
      refresh: duration().default(DEFAULT_REFRESH_MS),
      fullText: z.boolean().default(true),
      retention: retention.optional(),
      feedSize: z.int().min(1).max(MAX_FEED_SIZE).default(DEFAULT_FEED_SIZE),
      allowPrivateNetwork: z.boolean().default(false),
      snapshot: directory(baseDir).optional(),
      title: z.string().min(1).optional(),
      render: z
        .string()
        .refine((input) => input === 'browser', {
          error: (issue) =>
            `${show(issue.input)} is not a way to render pages (only browser; leave render out to read the served HTML)`,
        })
        .transform(() => 'browser' as const)
        .optional(),
      headers: headersSchema(env).optional(),
      cookies: cookiesSchema(env).optional(),
      notify: notifySchema(env).optional(),
    } satisfies Record<(typeof SOURCE_KEYS)[number], z.ZodType>)
    .transform(
      (raw, context): SourceConfig => ({
        id: raw.id,
        url: raw.url,
        enabled: raw.enabled,
        ...(raw.profile !== undefined && {
          profile:
            typeof raw.profile === 'string' ? raw.profile : profileFromSpec(raw.profile, { id: raw.id }),
        }),
        pages: raw.pages,
        refreshMs: raw.refresh,
        fullText: raw.fullText,
        retention: {
          ...(raw.retention?.maxArticles !== undefined && { maxArticles: raw.retention.maxArticles }),
          ...(raw.retention?.maxAge !== undefined && { maxAgeMs: raw.retention.maxAge }),
        },
        feedSize: raw.feedSize,
        allowPrivateNetwork: raw.allowPrivateNetwork,
        ...(raw.snapshot !== undefined && { snapshot: raw.snapshot }),
        ...(raw.title !== undefined && { title: raw.title }),
        ...(raw.render !== undefined && { render: raw.render }),
        ...(raw.headers !== undefined && { headers: raw.headers }),
        ...(raw.cookies !== undefined && { cookies: raw.cookies }),
        ...(raw.notify !== undefined &&
          raw.notify.length > 0 && { notify: nameDestinations(raw.id, raw.notify, context, ['notify']) }),
      }),
    );

  const feed = z
    .strictObject({
      id: feedId(),
      source: z.string().min(1),
      include: words().optional(),
      exclude: words().optional(),
      days: z.int().min(1).max(FILTER_LIMITS.days).optional(),
      lang: language().optional(),
      title: z.string().min(1).optional(),
      description: z.string().min(1).optional(),
      notify: notifySchema(env).optional(),
    } satisfies Record<(typeof FEED_KEYS)[number], z.ZodType>)
    .transform(
      (raw, context): DerivedFeedConfig => ({
        id: raw.id,
        source: raw.source,
        filter: {
          include: raw.include ?? [],
          exclude: raw.exclude ?? [],
          ...(raw.days !== undefined && { days: raw.days }),
        },
        ...(raw.lang !== undefined && { lang: raw.lang }),
        ...(raw.title !== undefined && { title: raw.title }),
        ...(raw.description !== undefined && { description: raw.description }),
        ...(raw.notify !== undefined &&
          raw.notify.length > 0 && { notify: nameDestinations(raw.id, raw.notify, context, ['notify']) }),
      }),
    );

  const limits = z
    .strictObject({
      pageBytes: z
        .int()
        .min(1024)
        .max(512 * 1024 * 1024)
        .default(DEFAULT_LIMITS.pageBytes),
      fetchTimeout: duration().default(DEFAULT_LIMITS.fetchTimeoutMs),
      redirects: z.int().min(0).max(20).default(DEFAULT_LIMITS.redirects),
      articlesPerPage: z.int().min(1).max(100_000).default(DEFAULT_LIMITS.articlesPerPage),
      articlePagesPerRun: z.int().min(1).max(100_000).default(DEFAULT_LIMITS.articlePagesPerRun),
      articleTextChars: z.int().min(1000).max(10_000_000).default(DEFAULT_LIMITS.articleTextChars),
    } satisfies Record<(typeof LIMIT_KEYS)[number], z.ZodType>)
    .transform(
      (raw): Limits => ({
        pageBytes: raw.pageBytes,
        fetchTimeoutMs: raw.fetchTimeout,
        redirects: raw.redirects,
        articlesPerPage: raw.articlesPerPage,
        articlePagesPerRun: raw.articlePagesPerRun,
        articleTextChars: raw.articleTextChars,
      }),
    );
  const rateLimit = z.union([
    z.literal(false),
    z.strictObject({
      perMinute: z.int().min(1).default(DEFAULT_RATE_LIMIT.perMinute),
      burst: z.int().min(1).default(DEFAULT_RATE_LIMIT.burst),
      trustProxy: z.boolean().default(false),
    } satisfies Record<(typeof RATE_LIMIT_KEYS)[number], z.ZodType>),
  ]);

  const admin = z.strictObject({
    token: adminToken(),
  } satisfies Record<(typeof ADMIN_KEYS)[number], z.ZodType>);

  return z
    .strictObject({
      sources: z
        .array(source)
        .min(1)
        .superRefine(uniqueIds, { when: () => true }),
      feeds: z.array(feed).optional(),
      publicUrl: httpUrl({ base: true }).optional(),
      store: store().optional(),
      lockTtl: duration().optional(),
      hub: httpUrl().optional(),
      limits: limits.optional(),
      rateLimit: rateLimit.optional(),
      admin: admin.optional(),
      delivery: deliverySchema(duration).optional(),
    } satisfies Record<(typeof TOP_KEYS)[number], z.ZodType>)
    .superRefine(derivedFeedsRead, { when: () => true })
    .transform(
      ({ lockTtl, ...rest }): ConfigFile => ({
        ...rest,
        ...(lockTtl !== undefined && { lockTtlMs: lockTtl }),
      }),
    ) satisfies z.ZodType<ConfigFile>;
}

/** The keys allowed where `path` points (a mapping in the file), for "did you mean" hints. */
export function knownKeysAt(path: readonly PropertyKey[]): readonly string[] {
  const [first, , third] = path;
  if (path.length === 0) return TOP_KEYS;
  if (first === 'limits' && path.length === 1) return LIMIT_KEYS;
  if (first === 'rateLimit' && path.length === 1) return RATE_LIMIT_KEYS;
  if (first === 'admin' && path.length === 1) return ADMIN_KEYS;
  if (first === 'delivery' && path.length === 1) return DELIVERY_KEYS;
  if (path[2] === 'notify' && path.length === 4) return [...new Set([...WEBHOOK_KEYS, ...EMAIL_KEYS])];
  if (first === 'sources' && path.length === 2) return SOURCE_KEYS;
  if (first === 'sources' && third === 'retention' && path.length === 3) return RETENTION_KEYS;
  if (first === 'feeds' && path.length === 2) return FEED_KEYS;
  if (first === 'sources' && third === 'profile') return profileSpecKeys(path.slice(3));
  return [];
}

/** The admin API's bearer token: printable, no spaces, long enough. Never shown in a message. */
export function adminToken() {
  return z.string().superRefine((input, context) => {
    if (input.length >= MIN_ADMIN_TOKEN_LENGTH && /^[\x21-\x7e]+$/.test(input)) return;
    context.addIssue({
      code: 'custom',
      input: '(hidden)',
      message: `the admin token must be at least ${MIN_ADMIN_TOKEN_LENGTH} printable characters without spaces (e.g. openssl rand -hex 32)`,
    });
  });
}

/** `sqlite:<path>`, a path, a `redis://` / `rediss://` URL, or a `postgres://` / `postgresql://` URL. */
function store() {
  return z
    .string()
    .min(1)
    .superRefine((input, context) => {
      if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(input) || /^(rediss?|postgres(ql)?):\/\//.test(input)) return;
      context.addIssue({
        code: 'custom',
        input,
        message: `${show(input)} is neither a file path, sqlite:<path>, a redis:// nor a postgres:// URL`,
      });
    });
}

/** A duration string (`30m`) or milliseconds, at least MIN_DURATION_MS. */
function duration() {
  return z.unknown().transform((input, context) => {
    if (typeof input !== 'string' && typeof input !== 'number') {
      context.addIssue({
        code: 'custom',
        input,
        message: `expected a duration like 30m, got ${show(input)}`,
      });
      return z.NEVER;
    }
    try {
      const ms = parseDuration(input);
      if (ms < MIN_DURATION_MS) {
        context.addIssue({ code: 'custom', input, message: `${show(input)} is too short (minimum 1s)` });
      }
      return ms;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      context.addIssue({ code: 'custom', input, message: error.message });
      return z.NEVER;
    }
  });
}

/**
 * An absolute http(s) URL. As a `base` (publicUrl), no query or fragment, and without its
 * trailing slash, so paths can be appended.
 */
function httpUrl(options: { base?: boolean } = {}) {
  return z.string().transform((input, context) => {
    let url: URL | undefined;
    try {
      url = new URL(input);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      context.addIssue({
        code: 'custom',
        input,
        message: `${show(input)} is not an absolute http(s) URL (like https://example.org/news/)`,
      });
      return z.NEVER;
    }
    if (!options.base) return input;
    if (url.search !== '' || url.hash !== '') {
      context.addIssue({
        code: 'custom',
        input,
        message: `${show(input)} must not have a query or fragment`,
      });
      return z.NEVER;
    }
    return url.href.replace(/\/+$/, '');
  });
}

/**
 * A registered profile's id, or a profile written out (checked by the parser's schema). Chosen by
 * shape, not a union, so a mistake deep in a written profile is reported at its own key.
 */
function profile() {
  const byName = profileId();
  const written = profileSpecSchema();
  return z.unknown().transform((input, context) => {
    const result = (typeof input === 'string' ? byName : written).safeParse(input, { reportInput: true });
    if (result.success) return result.data;
    // Passed on as they are (unknown keys stay unknown keys, for "did you mean"), at their own path.
    for (const issue of result.error.issues) context.addIssue({ ...issue });
    return z.NEVER;
  });
}

/** A profile registered with @tidings/parser (`auto` among them). */
function profileId() {
  return z.string().superRefine((input, context) => {
    const known = profiles.list().map((profile) => profile.id);
    if (known.includes(input)) return;
    const hint = closest(input, known);
    context.addIssue({
      code: 'custom',
      input,
      message:
        `${show(input)} is not a known profile` +
        (hint ? ` (did you mean "${hint}"?)` : ` (known: ${known.join(', ')})`),
    });
  });
}

/** An existing directory, resolved against the config file's directory. */
function directory(baseDir: string) {
  return z
    .string()
    .min(1)
    .transform((input, context) => {
      const path = resolve(baseDir, input);
      const stats = statSync(path, { throwIfNoEntry: false });
      if (!stats?.isDirectory()) {
        context.addIssue({
          code: 'custom',
          input,
          message: `${show(input)} ${stats ? 'is not a directory' : 'does not exist'} (resolved against the config file's directory to ${path})`,
        });
        return z.NEVER;
      }
      return path;
    });
}

/** A derived feed's id: like a source's, for the same URLs. */
function feedId() {
  return z.string().refine((id) => SOURCE_ID.test(id), {
    error: (issue) =>
      `${show(issue.input)} is not a valid id (lowercase letters, digits and dashes, starting with a letter or digit, at most 64 characters)`,
  });
}

/** A list of literal words (`[招生, 高考]`, or `招生, 高考`), folded like URL filters. */
function words() {
  return z.unknown().transform((input, context) => {
    const list =
      typeof input === 'string'
        ? input.split(',')
        : Array.isArray(input) && input.every((word) => typeof word === 'string' || typeof word === 'number')
          ? input.map(String)
          : undefined;
    if (!list) {
      context.addIssue({
        code: 'custom',
        input,
        message: `expected a list of words like [招生, 高考], got ${show(input)}`,
      });
      return z.NEVER;
    }
    const long = list.find((word) => [...word.trim()].length > FILTER_LIMITS.wordLength);
    if (long !== undefined) {
      context.addIssue({
        code: 'custom',
        input: long,
        message: `${show(long)} is longer than ${FILTER_LIMITS.wordLength} characters (words are literal text, not patterns)`,
      });
      return z.NEVER;
    }
    const folded = filterWords(list);
    if (folded.length > FILTER_LIMITS.words) {
      context.addIssue({ code: 'custom', input, message: `at most ${FILTER_LIMITS.words} words` });
      return z.NEVER;
    }
    return folded;
  });
}

function language() {
  return z.string().transform((input, context) => {
    const lang = readFeedLanguage(input);
    if (lang) return lang;
    context.addIssue({
      code: 'custom',
      input,
      message: `${show(input)} is not a language a feed converts to (${FEED_LANGUAGES.join(', ')}; leave lang out for the articles as published)`,
    });
    return z.NEVER;
  });
}

/**
 * Each derived feed reads a configured source, and its id names no source or other feed (both
 * name URLs). Runs on the raw file, even when parts of it are invalid, so all problems show at once.
 */
function derivedFeedsRead(file: unknown, context: z.RefinementCtx<unknown>): void {
  const { sources, feeds } = (file ?? {}) as { sources?: unknown; feeds?: unknown };
  if (!Array.isArray(feeds)) return;
  const sourceIds = (Array.isArray(sources) ? sources : [])
    .map((source) => (source as { id?: unknown } | null)?.id)
    .filter((id): id is string => typeof id === 'string');
  const feedIndex = new Map<string, number>();
  for (const [index, feed] of feeds.entries()) {
    const { id, source } = (feed ?? {}) as { id?: unknown; source?: unknown };
    if (typeof source === 'string' && !sourceIds.includes(source)) {
      const hint = closest(source, sourceIds);
      context.addIssue({
        code: 'custom',
        path: ['feeds', index, 'source'],
        input: source,
        message:
          `${show(source)} is not a configured source` +
          (hint ? ` (did you mean "${hint}"?)` : ` (the sources are: ${sourceIds.join(', ')})`) +
          '; a derived feed reads one of sources[].id (remove the feed before its source)',
      });
    }
    if (typeof id !== 'string') continue;
    const earlier = feedIndex.get(id);
    if (sourceIds.includes(id) || earlier !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['feeds', index, 'id'],
        input: id,
        message: `${show(id)} is already the id of ${earlier !== undefined ? `feeds[${earlier}]` : 'a source'}; ids must be unique across sources and feeds (they name the feed URLs)`,
      });
    }
    if (earlier === undefined) feedIndex.set(id, index);
  }
}

/** Runs even when some sources are invalid (so all problems show at once): `sources` may be anything. */
function uniqueIds(sources: unknown, context: z.RefinementCtx<readonly unknown[]>): void {
  if (!Array.isArray(sources)) return;
  const firstIndex = new Map<string, number>();
  for (const [index, source] of sources.entries()) {
    const id = (source as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') continue;
    const earlier = firstIndex.get(id);
    if (earlier === undefined) {
      firstIndex.set(id, index);
      continue;
    }
    context.addIssue({
      code: 'custom',
      path: [index, 'id'],
      input: id,
      message: `${show(id)} is already the id of sources[${earlier}]; ids must be unique (they name the feed URLs)`,
    });
  }
}
