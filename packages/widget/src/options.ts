/** Attribute parsing: pure functions, one per attribute kind. */

/** `limit`: an integer from 1 to 100; missing or unreadable gives 10. */
export function parseLimit(value: string | null): number {
  const limit = Number.parseInt(value ?? '', 10);
  return Number.isNaN(limit) ? 10 : Math.min(100, Math.max(1, limit));
}

/** A boolean attribute: absent gives `fallback`; present is on unless it says false, 0, no or off. */
export function parseFlag(value: string | null, fallback = false): boolean {
  return value === null ? fallback : !/^\s*(false|0|no|off)\s*$/i.test(value);
}

/** The `max-age` directive of a Cache-Control header, in seconds (not `s-maxage`). */
export function maxAge(cacheControl: string | null | undefined): number | null {
  const match = /(?:^|,)\s*max-age\s*=\s*"?(\d+)/i.exec(cacheControl ?? '');
  return match ? Number(match[1]) : null;
}

/** Seconds the browser may wait for when the feed sends no max-age. */
const FALLBACK_SECONDS = 300;
const DAY_SECONDS = 86_400;

/**
 * Seconds until the next automatic refresh, or null for none.
 * `refresh` absent or false: none. A number: those seconds (10 s to a day).
 * Otherwise (present, empty, `true`): the response's max-age, at least 60 s (300 s without one).
 */
export function refreshDelay(value: string | null, cacheControl: string | null | undefined): number | null {
  if (!parseFlag(value)) return null;
  const seconds = /^\s*\d+(\.\d+)?\s*$/.test(value ?? '')
    ? Math.max(10, Number(value))
    : Math.max(60, maxAge(cacheControl) ?? FALLBACK_SECONDS);
  return Math.min(DAY_SECONDS, seconds);
}

/** A valid BCP 47 tag for `raw` (`zh_CN` is read as `zh-CN`), else zh-CN. */
export function normalizeLang(raw: string | null | undefined): string {
  for (const tag of [raw, raw?.replace(/_/g, '-')]) {
    try {
      const [canonical] = tag?.trim() ? Intl.getCanonicalLocales(tag.trim()) : [];
      if (canonical) return canonical;
    } catch {
      // Not a language tag: try the next spelling, then the default.
    }
  }
  return 'zh-CN';
}
