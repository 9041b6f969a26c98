import { TidingsError } from '@tidings/parser';

/**
 * Headers the fetcher owns: the connection's framing, what it can decode, who is asking (robots.txt
 * is matched by it), and the validators `etag`/`lastModified` set.
 */
const OWNED = new Set([
  'host',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect',
  'proxy-authorization',
  'proxy-connection',
  'accept-encoding',
  'user-agent',
  'if-none-match',
  'if-modified-since',
]);

/** Whether the fetcher sets this header itself, so a caller may not (config checks use it early). */
export function isFetcherOwnedHeader(name: string): boolean {
  return OWNED.has(name.toLowerCase());
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const UNSAFE_VALUE = /[\r\n\0]/;

/**
 * A caller's extra headers, names lower-cased, checked. Messages name the header, never its value:
 * values are often secrets (cookies, tokens).
 */
export function extraHeaders(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const checked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const key = name.toLowerCase();
    if (!TOKEN.test(name)) {
      throw new TidingsError('bad-options', `FetchRequest.headers: "${name}" is not a valid header name.`);
    }
    if (isFetcherOwnedHeader(key)) {
      throw new TidingsError(
        'bad-options',
        `FetchRequest.headers: "${name}" is set by the fetcher itself and cannot be given per request.`,
      );
    }
    if (typeof value !== 'string' || UNSAFE_VALUE.test(value)) {
      throw new TidingsError(
        'bad-options',
        `FetchRequest.headers: the value of "${name}" must be text on one line (no line breaks or NUL).`,
      );
    }
    checked[key] = value;
  }
  return checked;
}
