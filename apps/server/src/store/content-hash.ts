import { createHash } from 'node:crypto';
import type { Article } from '@tidings/parser';

/** The fields a reader sees. `id` is the key, not content; a changed one is a different article. */
const CONTENT_FIELDS = [
  'title',
  'url',
  'publishedAt',
  'datePrecision',
  'summary',
  'contentText',
  'contentHtml',
  'images',
  'attachments',
  'author',
  'section',
  'language',
] as const satisfies readonly (keyof Article)[];

/** sha256 (hex) of the article's content fields: equal whenever a reader would see the same thing. */
export function contentHash(article: Article): string {
  const content = Object.fromEntries(CONTENT_FIELDS.map((field) => [field, article[field]]));
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/**
 * JSON with object keys sorted at every level and undefined members left out, so the same content
 * always gives the same text however the object was built. Array order is kept: it is content.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
