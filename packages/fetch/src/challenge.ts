import { STATUS_CODES } from 'node:http';
import { Failure } from './errors.js';

/** Bodies up to this size are looked at; bot checks are small, news pages rarely are. */
export const CHALLENGE_SNIFF_BYTES = 64 * 1024;

/** Statuses bot checks answer with (瑞数 412, 加速乐 521, Cloudflare 403/503). */
export const CHALLENGE_STATUSES: ReadonlySet<number> = new Set([403, 412, 503, 521]);

/** Marks only bot-check pages carry, with the name a person can look up. */
const VENDOR_MARKS: readonly { mark: RegExp; name: string }[] = [
  { mark: /\$_ts\s*=\s*window\[\s*['"]\$_ts['"]\s*\]/, name: 'a Ruishu (瑞数) bot check ($_ts script)' },
  { mark: /__jsl_clearance/, name: 'a Jiasule (加速乐) cookie script (__jsl_clearance)' },
  { mark: /acw_sc__v2/, name: 'an Alibaba Cloud WAF cookie script (acw_sc__v2)' },
  { mark: /_cf_chl_opt|\/cdn-cgi\/challenge-platform\/h\//, name: 'a Cloudflare challenge' },
  { mark: /sucuri_cloudproxy_js/, name: 'a Sucuri challenge' },
];

/** A page with this little visible text is not the news page it claims to be. */
const MAX_CHALLENGE_TEXT = 200;

const ASKS_FOR_JAVASCRIPT =
  /enable\s+javascript|javascript\s+(?:is\s+)?(?:disabled|required|enabled)|without\s+javascript|(?:启用|开启|打开|允许|支持)\s*javascript|javascript\s*(?:已|被)?禁用/i;
const SETS_COOKIE = /document\.cookie\s*=/;
const RELOADS = /location\s*\.\s*(?:reload|replace|assign)\s*\(|location(?:\s*\.\s*href)?\s*=[^=]/;

/** What a small HTML body is made of, read with patterns rather than a parser. */
interface BodyShape {
  scripts: string;
  hasScript: boolean;
  noscriptAsksForJavaScript: boolean;
  /** Elements in the body other than script, noscript and style. */
  hasElements: boolean;
  /** Visible text, whitespace collapsed. */
  text: string;
}

/**
 * Whether a response is a bot check (a WAF or JavaScript challenge) rather than the page, and
 * which. Only small bodies are looked at, and only HTML-ish ones: news pages pass at a glance.
 */
export function findChallenge(status: number, body: Uint8Array): string | undefined {
  if (body.length === 0 || body.length > CHALLENGE_SNIFF_BYTES) return undefined;
  const html = new TextDecoder().decode(body);
  if (!/<(?:no)?script/i.test(html)) return undefined;
  const shape = bodyShape(html);
  const vendor = VENDOR_MARKS.find(({ mark }) => mark.test(html));
  if (vendor && shape.text.length <= MAX_CHALLENGE_TEXT) return vendor.name;
  const scriptOnly = shape.hasScript && shape.text === '';
  if (scriptOnly && SETS_COOKIE.test(shape.scripts) && RELOADS.test(shape.scripts)) {
    return 'a script that sets a cookie and reloads the page';
  }
  if (shape.noscriptAsksForJavaScript && shape.text === '' && !shape.hasElements) {
    return 'a page that only asks for JavaScript';
  }
  if (scriptOnly && CHALLENGE_STATUSES.has(status)) return 'a page that is only a script';
  return undefined;
}

export function challengeFailure(url: URL, status: number, challenge: string): Failure {
  const answered =
    status >= 200 && status <= 299 ? 'answered' : `answered ${status} ${STATUS_CODES[status] ?? ''}`;
  return new Failure(
    'challenge',
    `${answered.trimEnd()} with a bot check instead of the page: ${challenge}`,
    'Tidings does not solve bot checks, with or without a browser: ask the site for a feed or for access, ' +
      "or, if you may, send the cookie a browser gets past the check (a source's `cookies:` in the server's config), " +
      'knowing that it expires',
    { url, status },
  );
}

function bodyShape(html: string): BodyShape {
  const scripts: string[] = [];
  const noscripts: string[] = [];
  const rest = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<script\b[^>]*>([\s\S]*?)<\/script\s*>/gi, (_match, code: string) => {
      scripts.push(code);
      return ' ';
    })
    .replace(/<noscript\b[^>]*>([\s\S]*?)<\/noscript\s*>/gi, (_match, content: string) => {
      noscripts.push(content);
      return ' ';
    })
    .replace(/<(style|title|head)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ');
  const hasScript = scripts.length > 0 || /<script\b/i.test(rest);
  const elements = (rest.match(/<[a-z][a-z0-9-]*/gi) ?? []).filter(
    (tag) => !/^<(?:html|head|body|meta|link|base|script)$/i.test(tag),
  );
  const text = rest
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;|&#160;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return {
    scripts: scripts.join('\n'),
    hasScript,
    noscriptAsksForJavaScript: noscripts.some((content) =>
      ASKS_FOR_JAVASCRIPT.test(content.replace(/<[^>]*>/g, ' ')),
    ),
    hasElements: elements.length > 0,
    text,
  };
}
