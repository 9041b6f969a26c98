import { TidingsError } from '@tidings/parser';
import type { FetcherOptions, FetchLogger } from './types.js';

export const DEFAULT_USER_AGENT =
  'TidingsBot/0.1 (+https://github.com/tidings/tidings; turns news pages into feeds)';

export const DEFAULTS = {
  userAgent: DEFAULT_USER_AGENT,
  connectTimeoutMs: 10_000,
  timeoutMs: 30_000,
  maxBytes: 10 * 1024 * 1024,
  maxRedirects: 5,
  retries: 2,
  retryBaseMs: 500,
  maxRetryAfterMs: 60_000,
  perHostConcurrency: 2,
  perHostDelayMs: 1_000,
  robots: true,
  allowPrivateNetwork: false,
} as const;

export interface Settings {
  userAgent: string;
  connectTimeoutMs: number;
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  retries: number;
  retryBaseMs: number;
  maxRetryAfterMs: number;
  perHostConcurrency: number;
  perHostDelayMs: number;
  robots: boolean;
  allowPrivateNetwork: boolean;
  resolveUrl: ((url: URL) => URL) | undefined;
  logger: FetchLogger;
  now: () => number;
}

const silent: FetchLogger = { debug() {}, info() {}, warn() {} };

/** Fills in the defaults and refuses values that would make the fetcher misbehave silently. */
export function settingsFrom(options: FetcherOptions = {}): Settings {
  const settings: Settings = {
    ...DEFAULTS,
    ...withoutUndefined(options),
    resolveUrl: options.resolveUrl,
    logger: options.logger ?? silent,
    now: options.now ?? Date.now,
  };
  requireCount('connectTimeoutMs', settings.connectTimeoutMs, 1);
  requireCount('timeoutMs', settings.timeoutMs, 1);
  requireCount('maxBytes', settings.maxBytes, 1);
  requireCount('maxRedirects', settings.maxRedirects, 0);
  requireCount('retries', settings.retries, 0);
  requireCount('retryBaseMs', settings.retryBaseMs, 0);
  requireCount('maxRetryAfterMs', settings.maxRetryAfterMs, 0);
  requireCount('perHostConcurrency', settings.perHostConcurrency, 1);
  requireCount('perHostDelayMs', settings.perHostDelayMs, 0);
  if (settings.userAgent.trim() === '') {
    throw new TidingsError(
      'bad-options',
      'FetcherOptions.userAgent must not be empty: sites need to know who is asking.',
    );
  }
  return settings;
}

function withoutUndefined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function requireCount(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new TidingsError(
      'bad-options',
      `FetcherOptions.${name} must be an integer ≥ ${min}, got ${String(value)}.`,
    );
  }
}
