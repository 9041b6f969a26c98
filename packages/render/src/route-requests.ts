import { FetchError, type FetchResult } from '@tidings/fetch';
import type { Request, Route } from 'playwright-core';
import type { PageFetcher, RenderRequest, RequestTally } from './types.js';

/** Never loaded: they build no lists. */
const SKIPPED_TYPES = new Set(['image', 'font', 'media']);
/** What a page's request says about itself that its server may look at. */
const FORWARDED_HEADERS = ['accept', 'referer', 'origin', 'x-requested-with'] as const;
const MAX_LISTED_FAILURES = 20;

/** How the route answers one page's requests. */
export interface Routing {
  fetcher: PageFetcher;
  allowPrivateNetwork: boolean | undefined;
  headersFor: RenderRequest['headersFor'];
  /** The page itself, fetched before the browser asked: its first navigation is answered with it. */
  document: FetchResult;
  /** Aborted when the page is done: fetches still running are cancelled. */
  signal: AbortSignal;
  tally: RequestTally;
  logger: { debug(obj: object, msg: string): void };
}

/**
 * Answers every request of a page through the fetcher, so robots.txt, the private-network
 * refusal, per-host pacing and the size cap hold for the page's scripts too.
 */
export function routeThroughFetcher(routing: Routing): (route: Route) => Promise<void> {
  let documentServed = false;
  return async (route) => {
    const request = route.request();
    const url = request.url();
    if (!documentServed && request.isNavigationRequest() && sameResource(url, routing.document.url)) {
      documentServed = true;
      await fulfill(route, routing.document, undefined);
      return;
    }
    const form = postedForm(request);
    if ((request.method() !== 'GET' && form === undefined) || SKIPPED_TYPES.has(request.resourceType())) {
      routing.tally.skipped++;
      await route.abort('blockedbyclient').catch(ignore);
      return;
    }
    try {
      const { headers, origin } = await requestHeaders(request, routing.headersFor);
      const result = await routing.fetcher.fetch(url, {
        headers,
        signal: routing.signal,
        ...(form !== undefined && { form }),
        ...(routing.allowPrivateNetwork !== undefined && {
          allowPrivateNetwork: routing.allowPrivateNetwork,
        }),
      });
      routing.tally.fetched++;
      await fulfill(route, result, origin);
    } catch (error) {
      await answerFailure(route, url, error, routing);
    }
  };
}

async function answerFailure(route: Route, url: string, error: unknown, routing: Routing): Promise<void> {
  if (routing.signal.aborted) {
    await route.abort('aborted').catch(ignore);
    return;
  }
  const code = error instanceof FetchError ? error.code : 'failed';
  if (error instanceof FetchError && error.code === 'http-status' && error.status !== undefined) {
    // The site answered: let the page's script see its 404 as a 404.
    routing.tally.fetched++;
    await route.fulfill({ status: error.status, body: '' }).catch(ignore);
    return;
  }
  if (routing.tally.failed.length < MAX_LISTED_FAILURES) routing.tally.failed.push({ url, code });
  routing.logger.debug({ url, code }, 'page request refused or failed');
  await route.abort(abortReason(code)).catch(ignore);
}

/** The body of a POSTed URL-encoded form (a list's next page, asked for as Hanweb does), else undefined. */
function postedForm(request: Request): string | undefined {
  if (request.method() !== 'POST') return undefined;
  const type = request.headers()['content-type'] ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) return undefined;
  return request.postData() ?? '';
}

/**
 * The page's own headers worth passing on, then the caller's (a source's cookies) over them; and
 * the page's origin when it makes a cross-origin call.
 */
async function requestHeaders(
  request: Request,
  headersFor: RenderRequest['headersFor'],
): Promise<{ headers: Record<string, string>; origin: string | undefined }> {
  const sent = await request.allHeaders();
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = sent[name];
    if (value !== undefined) headers[name] = value;
  }
  return { headers: { ...headers, ...headersFor?.(request.url()) }, origin: sent.origin };
}

/**
 * The fetcher's answer, as the browser gets it. A cross-origin call from the page gets CORS
 * headers naming the page's origin: the fetcher already decided the request may be made, and the
 * browser holds nothing of the user's for CORS to protect.
 */
async function fulfill(route: Route, result: FetchResult, origin: string | undefined): Promise<void> {
  const headers: Record<string, string> = {};
  if (result.contentType) headers['content-type'] = result.contentType;
  if (origin !== undefined) {
    headers['access-control-allow-origin'] = origin;
    headers['access-control-allow-credentials'] = 'true';
  }
  await route.fulfill({ status: result.status, headers, body: Buffer.from(result.body) }).catch(ignore);
}

function abortReason(code: string): string {
  switch (code) {
    case 'robots-disallowed':
    case 'private-network':
    case 'challenge':
      return 'blockedbyclient';
    case 'timeout':
      return 'timedout';
    case 'network':
      return 'connectionfailed';
    case 'aborted':
      return 'aborted';
    default:
      return 'failed';
  }
}

function sameResource(a: string, b: string): boolean {
  const withoutHash = (url: string) => url.replace(/#.*$/, '');
  return withoutHash(new URL(a).href) === withoutHash(new URL(b).href);
}

/** The page may be gone by the time an answer is ready: nobody is waiting for it then. */
function ignore(): void {}
