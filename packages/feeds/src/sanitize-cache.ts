import { sanitizeHtml } from '@tidings/parser';

// Sanitizing is over half of rendering, and a server renders the same articles again and again
// (three formats per change, unchanged articles on every refresh). A small LRU keeps the results,
// bounded by the characters it holds.
const MAX_CHARS = 8 * 1024 * 1024;
// Keyed by the HTML string itself: the same string object comes back render after render, and
// V8 hashes a string once; a key built from base + HTML would be hashed anew every time.
const cache = new Map<string, { baseUrl: string; clean: string }>();
let heldChars = 0;

/** `sanitizeHtml` from @tidings/parser, remembered for recently seen inputs. */
export function sanitizeCached(html: string, baseUrl: string): string {
  if (html === '') return '';
  const hit = cache.get(html);
  if (hit !== undefined && hit.baseUrl === baseUrl) {
    cache.delete(html);
    cache.set(html, hit);
    return hit.clean;
  }
  const clean = sanitizeHtml(html, baseUrl);
  const size = html.length + clean.length;
  if (size > MAX_CHARS / 16) return clean; // one huge body would evict everything else
  if (hit !== undefined) heldChars -= html.length + hit.clean.length;
  cache.delete(html);
  cache.set(html, { baseUrl, clean });
  heldChars += size;
  for (const [oldHtml, old] of cache) {
    if (heldChars <= MAX_CHARS) break;
    cache.delete(oldHtml);
    heldChars -= oldHtml.length + old.clean.length;
  }
  return clean;
}

/** Forgets every remembered result (benchmarks measure the cold path with it). */
export function clearSanitizeCache(): void {
  cache.clear();
  heldChars = 0;
}
