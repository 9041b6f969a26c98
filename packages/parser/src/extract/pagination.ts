import type { PaginationRules } from '../profiles/types.js';
import type { PageInfo } from '../types.js';

/** Every listing page's URL from the page count and the profile's naming rule. */
export function pageInfo(
  pageUrl: string,
  found: { total: number | null; current: number | null },
  rules: PaginationRules | undefined,
): PageInfo {
  const current = found.current ?? currentFromUrl(pageUrl, rules) ?? 1;
  const total = found.total !== null && found.total >= current ? found.total : null;
  if (!rules || total === null) return { current, total, urls: [pageUrl] };
  const urls: string[] = [];
  for (let page = 1; page <= total; page++) {
    const name =
      page === 1 ? rules.firstPage : rules.pageUrl.replace('{n}', String(page - 2 + rules.firstIndex));
    urls.push(new URL(name, pageUrl).href);
  }
  return { current, total, urls };
}

/** `index_2.html` with `index_{n}.html` and firstIndex 1 is page 3. */
function currentFromUrl(pageUrl: string, rules: PaginationRules | undefined): number | null {
  if (!rules) return null;
  const file = new URL(pageUrl).pathname.split('/').pop() ?? '';
  if (file === '' || file === rules.firstPage) return 1;
  const [before, after] = rules.pageUrl.split('{n}') as [string, string | undefined];
  if (after === undefined || !file.startsWith(before) || !file.endsWith(after)) return null;
  const n = Number(file.slice(before.length, file.length - after.length));
  return Number.isInteger(n) ? n - rules.firstIndex + 2 : null;
}

export function toCount(value: string | undefined): number | null {
  if (value === undefined) return null;
  const n = Number.parseInt(value, 10);
  return Number.isInteger(n) && n > 0 && n < 100_000 ? n : null;
}
