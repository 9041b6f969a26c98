import robotsParserModule from 'robots-parser';
import { Failure } from './errors.js';
import type { Reply } from './exchange.js';
import type { FetchLogger } from './types.js';
import { unlessAborted } from './wait.js';

// robots-parser is CommonJS typed as `export default`; the default import is the function itself.
const robotsParser = robotsParserModule as unknown as typeof robotsParserModule.default;
type RobotsRules = ReturnType<typeof robotsParser>;

export const ROBOTS_TTL_MS = 60 * 60 * 1000;
/** Google reads the first 500 KiB; a robots.txt larger than that is treated as absent. */
export const ROBOTS_MAX_BYTES = 500 * 1024;

/** Fetches an origin's /robots.txt (following redirects); throws a Failure. */
export type RobotsDownload = (robotsUrl: URL) => Promise<Reply>;

interface Entry {
  /** Undefined means everything is allowed: no robots.txt, or none we could read. */
  rules: RobotsRules | undefined;
  fetchedAt: number;
}

/** robots.txt per origin: fetched once, shared by concurrent requests, cached for an hour. */
export class RobotsPolicy {
  readonly #token: string;
  readonly #now: () => number;
  readonly #logger: FetchLogger;
  readonly #cache = new Map<string, Entry>();
  readonly #loading = new Map<string, Promise<Entry>>();

  /** `userAgent` is the full header; robots.txt groups are matched by its product token. */
  constructor(userAgent: string, now: () => number, logger: FetchLogger) {
    this.#token = productToken(userAgent);
    this.#now = now;
    this.#logger = logger;
  }

  /** Throws a `robots-disallowed` Failure when the origin's robots.txt forbids `url` to us. */
  async check(url: URL, download: RobotsDownload, signal?: AbortSignal): Promise<void> {
    let entry: Entry;
    try {
      entry = await unlessAborted(this.#entryFor(url.origin, download), signal);
    } catch (error) {
      throw error instanceof Failure ? error.reportedFor(url) : error;
    }
    if (entry.rules?.isDisallowed(url.href, this.#token)) {
      throw new Failure(
        'robots-disallowed',
        `is disallowed for ${this.#token} by ${url.origin}/robots.txt`,
        'the site asks crawlers to stay away from this page: ask the site, or set robots: false only for a site you run or may crawl',
        { url },
      );
    }
  }

  #entryFor(origin: string, download: RobotsDownload): Promise<Entry> {
    const cached = this.#cache.get(origin);
    if (cached && this.#now() - cached.fetchedAt < ROBOTS_TTL_MS) return Promise.resolve(cached);
    let loading = this.#loading.get(origin);
    if (!loading) {
      loading = this.#load(origin, download).finally(() => this.#loading.delete(origin));
      this.#loading.set(origin, loading);
    }
    return loading;
  }

  async #load(origin: string, download: RobotsDownload): Promise<Entry> {
    const robotsUrl = new URL('/robots.txt', origin);
    const rules = await this.#fetchRules(robotsUrl, download);
    const entry = { rules, fetchedAt: this.#now() };
    this.#forgetExpired();
    this.#cache.set(origin, entry);
    return entry;
  }

  async #fetchRules(robotsUrl: URL, download: RobotsDownload): Promise<RobotsRules | undefined> {
    let reply: Reply;
    try {
      reply = await download(robotsUrl);
    } catch (error) {
      // The page fetch would fail the same way, with the message that matters; don't cache.
      if (error instanceof Failure && (error.code === 'private-network' || error.code === 'aborted'))
        throw error;
      this.#logger.warn(
        { url: robotsUrl.href, err: error },
        'robots.txt could not be fetched; allowing all URLs of this origin for an hour',
      );
      return undefined;
    }
    if (reply.status >= 200 && reply.status <= 299) {
      this.#logger.debug({ url: robotsUrl.href }, 'robots.txt loaded');
      return robotsParser(robotsUrl.href, new TextDecoder().decode(reply.body));
    }
    if (reply.status >= 500) {
      this.#logger.warn(
        { url: robotsUrl.href, status: reply.status },
        'robots.txt answered a server error; allowing all URLs of this origin for an hour',
      );
    } else {
      this.#logger.debug({ url: robotsUrl.href, status: reply.status }, 'no robots.txt; allowing all URLs');
    }
    return undefined;
  }

  #forgetExpired(): void {
    const now = this.#now();
    for (const [origin, entry] of this.#cache) {
      if (now - entry.fetchedAt >= ROBOTS_TTL_MS) this.#cache.delete(origin);
    }
  }
}

/** `TidingsBot` from `TidingsBot/0.1 (+https://…)`: the name robots.txt groups use. */
export function productToken(userAgent: string): string {
  return userAgent.trim().split(/[/\s]/)[0] ?? userAgent;
}
