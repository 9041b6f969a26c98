import type { PaginationRules } from '../profiles/types.js';
import type { PageInfo } from '../types.js';

export interface FoundPaging {
  total: number | null;
  current: number | null;
  /** The next-page link as written on the page, when the profile reads one. */
  next?: string | undefined;
}

/**
 * Every listing page's URL from the page count and the profile's naming rule; without a naming
 * rule (or a count), this page alone plus the next-page link when there is one.
 */
export function pageInfo(pageUrl: string, found: FoundPaging, rules: PaginationRules | undefined): PageInfo {
  const current = found.current ?? currentFromUrl(pageUrl, rules) ?? 1;
  const total = found.total !== null && found.total >= current ? found.total : null;
  const named = rules?.pageUrl !== undefined && total !== null ? namedPages(pageUrl, total, rules) : null;
  const urls = named ?? [pageUrl];
  const next = named ? named[current] : nextLink(found.next, pageUrl);
  return { current, total, urls, ...(next !== undefined && { next }) };
}

function namedPages(pageUrl: string, total: number, rules: PaginationRules): string[] {
  const urls: string[] = [];
  for (let page = 1; page <= total; page++) {
    const name = page === 1 ? (rules.firstPage ?? '') : pageName(rules, page);
    urls.push(new URL(name, pageUrl).href);
  }
  return urls;
}

function pageName(rules: PaginationRules, page: number): string {
  return (rules.pageUrl ?? '').replace('{n}', String(page - 2 + (rules.firstIndex ?? 1)));
}

/** An http(s) link other than the page itself (a last page's "next" often points back to it). */
function nextLink(raw: string | undefined, pageUrl: string): string | undefined {
  if (raw === undefined || /^\s*(javascript:|#)/i.test(raw)) return undefined;
  try {
    const url = new URL(raw.trim(), pageUrl);
    url.hash = '';
    if (!/^https?:$/.test(url.protocol) || url.href === new URL(pageUrl).href) return undefined;
    return url.href;
  } catch {
    return undefined;
  }
}

/** `index_2.html` with `index_{n}.html` and firstIndex 1 is page 3. */
function currentFromUrl(pageUrl: string, rules: PaginationRules | undefined): number | null {
  if (!rules?.pageUrl) return null;
  const file = new URL(pageUrl).pathname.split('/').pop() ?? '';
  if (file === '' || file === rules.firstPage) return 1;
  const [before, after] = rules.pageUrl.split('{n}') as [string, string | undefined];
  if (after === undefined || !file.startsWith(before) || !file.endsWith(after)) return null;
  const n = Number(file.slice(before.length, file.length - after.length));
  return Number.isInteger(n) ? n - (rules.firstIndex ?? 1) + 2 : null;
}

/** A page count or number as printed; `zeroBased` numbers (TRS's `createPageHTML(3, 0, …)`) count from 0. */
export function toCount(value: string | undefined, zeroBased = false): number | null {
  if (value === undefined) return null;
  const n = Number.parseInt(value, 10) + (zeroBased ? 1 : 0);
  return Number.isInteger(n) && n > 0 && n < 100_000 ? n : null;
}
