/**
 * Resolves `value` against `base` and returns the absolute URL only when it is http(s).
 * Anything else (javascript:, data:, vbscript:, unparsable) gives null: such values are never
 * used as a link or an image source.
 */
export function safeUrl(value: unknown, base?: string): string | null {
  if (typeof value !== 'string' || !value.trim()) return null;
  try {
    const url = new URL(value.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
