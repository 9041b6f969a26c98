import { toCount } from '../extract/pagination.js';
import { profiles } from '../profiles/registry.js';
import type { ApiRules, SiteProfile } from '../profiles/types.js';
import type { PageInfo } from '../types.js';
import { lookup } from './path.js';

// Stands in for `{n}` while the template is resolved as a URL, which would escape the braces.
const MARK = 'tidings-page-number';

/** The endpoint's URL for page `page` (1-based): `{n}` is `firstIndex + (page - 1) × step`. */
export function apiPageUrl(api: ApiRules, base: string, page: number): string {
  const n = (api.firstIndex ?? 1) + (page - 1) * (api.step ?? 1);
  return new URL(api.url.replace('{n}', String(n)), base).href;
}

/**
 * Which page of the endpoint `url` is (by its `{n}`), how many there are (`totalPages`), and the
 * next: while the answer says there are more, or, when it does not say, while a page holds items.
 */
export function apiPageInfo(api: ApiRules, url: string, document: unknown, count: number): PageInfo {
  const current = pageOf(api, url) ?? 1;
  const found = api.totalPages === undefined ? undefined : lookup(document, api.totalPages);
  const total = found?.found ? toCount(String(found.value)) : null;
  const urls =
    total === null ? [url] : Array.from({ length: total }, (_, index) => apiPageUrl(api, url, index + 1));
  const more = total === null ? count > 0 : current < total;
  return { current, total, urls, ...(more && { next: apiPageUrl(api, url, current + 1) }) };
}

/** The page number `url` carries where the template has `{n}`; undefined when it is not the endpoint. */
function pageOf(api: ApiRules, url: string): number | undefined {
  const template = new URL(api.url.replace('{n}', MARK), url).href;
  const [before, after] = template.split(MARK) as [string, string];
  if (!url.startsWith(before) || !url.endsWith(after)) return undefined;
  const n = Number(url.slice(before.length, url.length - after.length));
  const page = (n - (api.firstIndex ?? 1)) / (api.step ?? 1) + 1;
  return Number.isInteger(page) && page >= 1 ? page : undefined;
}

/**
 * What to fetch for a source's first listing page: its endpoint's first page when the profile
 * reads its list from one (`api`), else the page itself.
 */
export function listingUrl(pageUrl: string, profile?: SiteProfile | string): string {
  const chosen = typeof profile === 'string' ? profiles.get(profile) : profile;
  return chosen?.api ? apiPageUrl(chosen.api, pageUrl, 1) : pageUrl;
}
