import type { Article } from '@tidings/parser';
import { StoreError } from '../errors.js';
import type { StatusPatch } from './statements.js';
import type { RetentionPolicy } from './types.js';

// The checks both backends make on what they are given, with the same messages.

export type { StatusPatch };

/** The instant as `toISOString()` writes it, so stored times compare as text. */
export function toInstant(value: string, name: string): string {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new StoreError('bad-time', `${name} must be an ISO 8601 instant, got ${JSON.stringify(value)}.`);
  }
  return new Date(ms).toISOString();
}

export function checkArticle(article: Article): void {
  if (typeof article?.id !== 'string' || article.id === '') {
    throw new StoreError(
      'bad-article',
      `Every article needs a non-empty string id; got ${JSON.stringify(article?.id)}.`,
    );
  }
  if (typeof article.title !== 'string' || typeof article.contentText !== 'string') {
    throw new StoreError('bad-article', `The article ${article.id} has no title or contentText string.`);
  }
}

export function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 0) {
    throw new StoreError('bad-limit', `listArticles: limit must be a whole number ≥ 0, got ${limit}.`);
  }
}

/** Bounds of a publishedAt range, in epoch ms: finite numbers, `fromMs` not after `toMs`. */
export function checkRange(fromMs: number, toMs: number = fromMs): void {
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || fromMs > toMs) {
    throw new StoreError(
      'bad-range',
      `A publishedAt range needs finite epoch milliseconds, from ≤ to; got ${fromMs} to ${toMs}.`,
    );
  }
}

export function checkPolicy({ maxArticles, maxAgeMs }: RetentionPolicy): void {
  if (maxArticles !== undefined && (!Number.isInteger(maxArticles) || maxArticles < 0)) {
    throw new StoreError(
      'bad-policy',
      `Retention maxArticles must be a whole number ≥ 0, got ${maxArticles}.`,
    );
  }
  if (maxAgeMs !== undefined && !(maxAgeMs >= 0)) {
    throw new StoreError('bad-policy', `Retention maxAgeMs must be a number ≥ 0, got ${maxAgeMs}.`);
  }
}

export function checkStatusPatch(patch: StatusPatch, fields: readonly string[]): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || value === null || !fields.includes(key)) continue;
    const ok =
      key === 'consecutiveFailures'
        ? Number.isInteger(value) && (value as number) >= 0
        : typeof value === 'string';
    if (!ok) {
      throw new StoreError('bad-status', `updateStatus: ${key} cannot be ${JSON.stringify(value)}.`);
    }
  }
}

export function checkLeaseTimes({ ttlMs, freshForMs }: { ttlMs: number; freshForMs: number }): void {
  if (!Number.isFinite(ttlMs) || ttlMs < 1) {
    throw new StoreError('bad-lease', `acquireRefresh: ttlMs must be a finite number ≥ 1, got ${ttlMs}.`);
  }
  if (!Number.isFinite(freshForMs) || freshForMs < 0) {
    throw new StoreError(
      'bad-lease',
      `acquireRefresh: freshForMs must be a finite number ≥ 0, got ${freshForMs}.`,
    );
  }
}
