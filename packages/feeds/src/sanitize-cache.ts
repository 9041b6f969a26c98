import { sanitizeHtml } from '@tidings/parser';

// Sanitizing is over half of rendering, and a server renders the same articles again and again
// (three formats per change, unchanged articles on every refresh). A small LRU keeps the results,
// bounded by the characters it holds.
const MAX_CHARS = 8 * 1024 * 1024;
const cache = new Map<string, string>();
let heldChars = 0;

/** `sanitizeHtml` from @tidings/parser, remembered for recently seen inputs. */
export function sanitizeCached(html: string, baseUrl: string): string {
  if (html === '') return '';
  const key = `${baseUrl}\n${html}`;
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const clean = sanitizeHtml(html, baseUrl);
  const size = key.length + clean.length;
  if (size > MAX_CHARS / 16) return clean; // one huge body would evict everything else
  cache.set(key, clean);
  heldChars += size;
  for (const [oldKey, oldValue] of cache) {
    if (heldChars <= MAX_CHARS) break;
    cache.delete(oldKey);
    heldChars -= oldKey.length + oldValue.length;
  }
  return clean;
}

/** Forgets every remembered result (benchmarks measure the cold path with it). */
export function clearSanitizeCache(): void {
  cache.clear();
  heldChars = 0;
}
