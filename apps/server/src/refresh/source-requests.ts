import type { FetchLogger } from '@tidings/fetch';
import { cookieHeader } from '../config/request-headers.js';
import type { SourceConfig } from '../config/types.js';

/** Shorter values are not worth hiding (and would blank out unrelated text). */
const MIN_REDACTED_LENGTH = 4;
const REDACTED = '[redacted]';
/** They name a page of the site: public, and hiding them would blank the site's URLs out of every message. */
const PUBLIC_HEADERS = new Set(['referer', 'origin']);

/**
 * The extra headers a source sends to one URL: its `headers` and `cookies`, for its own site only
 * (the source's host and its subdomains, a leading `www.` aside), so a third-party script or a
 * link to another site never gets them.
 */
export function sourceHeaders(source: SourceConfig): (url: string) => Record<string, string> | undefined {
  const headers: Record<string, string> = { ...source.headers };
  if (source.cookies && Object.keys(source.cookies).length > 0) headers.cookie = cookieHeader(source.cookies);
  if (Object.keys(headers).length === 0) return () => undefined;
  const site = new URL(source.url).hostname.replace(/^www\./, '');
  return (url) => {
    const host = new URL(url).hostname;
    return host === site || host.endsWith(`.${site}`) ? headers : undefined;
  };
}

/**
 * Text with the source's cookie and header values (a Referer or Origin aside) blanked out: for
 * logs and the status /healthz shows.
 */
export function redactSecrets(source: SourceConfig): (text: string) => string {
  return redactor(secretsOf(source));
}

/** Every source's secrets blanked out: for what all sources share (the fetcher's and renderer's logs). */
export function redactAllSecrets(sources: readonly SourceConfig[]): (text: string) => string {
  return redactor(sources.flatMap(secretsOf));
}

/**
 * A logger that blanks out secrets in every line, for the fetcher and the renderer: a site may put
 * a cookie's value in a redirect (`;jsessionid=…`), and they log URLs. The logger itself when
 * there are no secrets.
 */
export function redactingLogger(logger: FetchLogger, sources: readonly SourceConfig[]): FetchLogger {
  if (!sources.some((source) => secretsOf(source).length > 0)) return logger;
  const redact = redactAllSecrets(sources);
  const clean = (obj: object) => JSON.parse(redact(JSON.stringify(obj))) as object;
  return {
    debug: (obj, msg) => logger.debug(clean(obj), redact(msg)),
    info: (obj, msg) => logger.info(clean(obj), redact(msg)),
    warn: (obj, msg) => logger.warn(clean(obj), redact(msg)),
  };
}

function secretsOf(source: SourceConfig): string[] {
  return [
    ...Object.entries(source.headers ?? {})
      .filter(([name]) => !PUBLIC_HEADERS.has(name.toLowerCase()))
      .map(([, value]) => value),
    ...Object.values(source.cookies ?? {}),
    ...(source.cookies ? [cookieHeader(source.cookies)] : []),
  ].filter((value) => value.length >= MIN_REDACTED_LENGTH);
}

function redactor(secrets: readonly string[]): (text: string) => string {
  // Longest first, so a value inside another is not half replaced; as written and as JSON escapes it.
  const forms = [...new Set(secrets.flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]))].sort(
    (a, b) => b.length - a.length,
  );
  if (forms.length === 0) return (text) => text;
  return (text) => forms.reduce((redacted, secret) => redacted.split(secret).join(REDACTED), text);
}
