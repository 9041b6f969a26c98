import { Failure, FetchError } from './errors.js';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The URL a caller asked for, if it is an absolute http(s) URL; refused before any attempt otherwise. */
export function parseHttpUrl(input: string): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new FetchError(
      'bad-url',
      `"${String(input)}" is not an absolute URL; pass one like https://example.gov.cn/news/`,
      { url: String(input), attempts: 0 },
    );
  }
  if (!isHttp(url)) {
    throw new FetchError('bad-url', `${url.href} is not an http(s) URL; only web pages can be fetched`, {
      url: url.href,
      attempts: 0,
    });
  }
  return url;
}

export function isRedirect(status: number): boolean {
  return REDIRECT_STATUSES.has(status);
}

/** Where a Location header points, relative to the URL that sent it; only http(s) is followed. */
export function redirectTarget(from: URL, location: string): URL {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch (error) {
    throw new Failure(
      'bad-url',
      `redirects to "${location}", which is not a URL`,
      'the site is broken: report it',
      {
        url: from,
        cause: error,
      },
    );
  }
  if (!isHttp(next)) {
    throw new Failure(
      'bad-url',
      `redirects to ${next.href}, which is not an http(s) URL`,
      'use another URL',
      {
        url: from,
      },
    );
  }
  return next;
}

export function isHttp(url: URL): boolean {
  return url.protocol === 'http:' || url.protocol === 'https:';
}
