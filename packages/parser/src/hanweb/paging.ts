import type { PageInfo, PageRequest } from '../types.js';
import type { Datastore } from './datastore.js';
import type { JpageSettings } from './jpage.js';

/** Where Hanweb's pager asks for records when the page does not say. */
const DEFAULT_PROXY = '/module/web/jpage/dataproxy.jsp';
/** Pages the pager fetches per request when the page does not say. */
const DEFAULT_GROUP_SIZE = 3;

/**
 * A column page: its inline records come first; the proxy is then asked for the next group,
 * records `held + 1` to `held + perPage × groupSize`, with the column's form. Like the pager, the
 * last group's `endrecord` is not cut to the total: the proxy answers with what there is, and
 * every request spans as many records, which numbers the pages.
 */
export function columnPaging(url: string, store: Datastore, settings: JpageSettings): PageInfo {
  const held = store.records.length;
  const span = settings.perPage ? settings.perPage * (settings.groupSize ?? DEFAULT_GROUP_SIZE) : held;
  const total = store.totalRecord ?? settings.totalRecord;
  const pages: PageInfo = {
    current: 1,
    total: total === undefined || span === 0 ? null : 1 + Math.ceil(Math.max(0, total - held) / span),
    urls: [url],
  };
  if (total === undefined || held >= total || span === 0) return pages;
  const proxy = new URL(settings.proxyUrl ?? pathOf(store.nextGroup, url) ?? DEFAULT_PROXY, url);
  const form = settings.form ?? formFromNextGroup(store.nextGroup, url);
  const range = { start: held + 1, end: held + span, perPage: settings.perPage ?? span };
  return withNext(pages, recordsRequest(proxy, range, form));
}

/**
 * A `dataproxy.jsp` answer for records `startrecord`–`endrecord`: the next group of as many, with
 * the same form, while the column has more (`<totalrecord>`; unknown: while the group was full).
 * Older proxies page by `page=N` instead, up to `<totalpage>`.
 */
export function proxyPaging(url: string, store: Datastore, request: PageRequest | undefined): PageInfo {
  const here = new URL(url);
  const form =
    request?.method === 'POST' && request.body !== undefined
      ? new URLSearchParams(request.body)
      : formFromNextGroup(store.nextGroup, url);
  const start = intParam(here, 'startrecord');
  const end = intParam(here, 'endrecord');
  if (start !== undefined && end !== undefined && end >= start) {
    const span = end - start + 1;
    const total = store.totalRecord;
    const pages: PageInfo = {
      current: Math.ceil(end / span),
      total: total === undefined ? null : Math.ceil(total / span),
      urls: [url],
    };
    const more = total === undefined ? store.records.length >= span : end < total;
    if (!more) return pages;
    const range = { start: end + 1, end: end + span, perPage: intParam(here, 'perpage') ?? span };
    return withNext(pages, recordsRequest(here, range, form));
  }
  const page = intParam(here, 'page');
  if (page === undefined) return { current: 1, total: null, urls: [url] };
  const pages: PageInfo = { current: page, total: store.totalPage ?? null, urls: [url] };
  if (store.totalPage === undefined || page >= store.totalPage) return pages;
  const next = new URL(here.href);
  next.searchParams.set('page', String(page + 1));
  return withNext(pages, formRequest(next, request?.method === 'POST' ? form : undefined));
}

interface RecordRange {
  start: number;
  end: number;
  perPage: number;
}

function recordsRequest(proxy: URL, range: RecordRange, form: URLSearchParams | undefined): PageRequest {
  const url = new URL(proxy.href);
  url.searchParams.set('startrecord', String(range.start));
  url.searchParams.set('endrecord', String(range.end));
  url.searchParams.set('perpage', String(range.perPage));
  return formRequest(url, form);
}

function formRequest(url: URL, form: URLSearchParams | undefined): PageRequest {
  return form && form.size > 0
    ? { url: url.href, method: 'POST', body: form.toString() }
    : { url: url.href, method: 'GET' };
}

function withNext(pages: PageInfo, request: PageRequest): PageInfo {
  return { ...pages, next: request.url, ...(request.method === 'POST' && { nextRequest: request }) };
}

/**
 * The form the pager POSTs, rebuilt from the `<nextgroup>` link, which carries the column's
 * parameters (`webid`, `columnid`, `unitid`, …) in its query.
 */
function formFromNextGroup(href: string | undefined, base: string): URLSearchParams | undefined {
  const link = href === undefined ? undefined : safeUrl(href, base);
  if (!link?.searchParams.has('columnid')) return undefined;
  const form = new URLSearchParams({ col: '1' });
  for (const [key, value] of link.searchParams) if (key !== 'page') form.set(key, value);
  if (!form.has('sourceContentType')) form.set('sourceContentType', '1');
  return form;
}

function pathOf(href: string | undefined, base: string): string | undefined {
  const link = href === undefined ? undefined : safeUrl(href, base);
  return link && /dataproxy\.jsp$/i.test(link.pathname) ? link.pathname : undefined;
}

function safeUrl(href: string, base: string): URL | undefined {
  try {
    return new URL(href, base);
  } catch {
    return undefined;
  }
}

function intParam(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name);
  const n = raw === null ? Number.NaN : Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}
