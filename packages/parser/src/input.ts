import type { Document } from 'domhandler';
import { assertReadable, decodeBytes } from './decode/decode.js';
import { InputError } from './errors.js';
import { selectIn } from './extract/rules.js';
import { autoProfile } from './profiles/auto.js';
import { profiles } from './profiles/registry.js';
import type { SiteProfile } from './profiles/types.js';
import type { ParseOptions, ProfileChoice } from './types.js';

export const DEFAULT_MAX_BYTES = 25 * 1024 * 1024;

export type PageInput = string | Uint8Array | ArrayBuffer;

export interface PreparedInput {
  text: string;
  /** `xml`: a data document such as Hanweb's `<datastore>`; `json`: with its `value` parsed. */
  form: 'html' | 'text' | 'xml' | 'json';
  url: string;
  value?: unknown;
}

/** Checks the options and the input, decodes bytes, and tells HTML from XML data, JSON and text. */
export function prepareInput(input: PageInput, options: ParseOptions): PreparedInput {
  const url = checkUrl(options);
  if (typeof input !== 'string' && !(input instanceof Uint8Array) && !(input instanceof ArrayBuffer)) {
    throw new InputError(
      'bad-input',
      `Expected the page as a string or bytes (Uint8Array/Buffer), got ${describe(input)}.`,
    );
  }
  const size = typeof input === 'string' ? input.length : input.byteLength;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (size > maxBytes) {
    throw new InputError(
      'too-large',
      `The page is ${formatSize(size)}, over the ${formatSize(maxBytes)} limit (options.maxBytes). No news listing is that large: ` +
        'check that this is the right URL.',
    );
  }
  let text: string;
  if (typeof input === 'string') {
    text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
    assertReadable(text);
  } else {
    text = decodeBytes(
      input instanceof ArrayBuffer ? new Uint8Array(input) : input,
      options.contentType,
    ).text;
  }
  if (text.trim() === '') throw new InputError('empty', `The page at ${url} is empty.`);
  const json = options.form ? undefined : readJson(text, url, options.contentType);
  if (json) return { text, form: 'json', url, value: json.value };
  const root = options.form ? undefined : xmlDataRoot(text);
  if (root !== undefined) {
    if (!options.allowIncomplete && !new RegExp(`</${root}\\s*>\\s*$`, 'i').test(text)) {
      throw new InputError(
        'truncated',
        `The XML of ${url} ends before </${root}> (${formatSize(size)} read): it looks truncated. Fetch it again.`,
      );
    }
    return { text, form: 'xml', url };
  }
  const form = options.form ?? (looksLikeHtml(text) ? 'html' : 'text');
  if (form === 'html' && !options.allowIncomplete && !/<\/(body|html)\s*>/i.test(text)) {
    throw new InputError(
      'truncated',
      `The HTML of ${url} ends before </body> or </html> (${formatSize(size)} read): it looks truncated. ` +
        'Fetch it again, or pass allowIncomplete: true if the site never closes its pages.',
    );
  }
  return { text, form, url };
}

function checkUrl(options: ParseOptions): string {
  if (!options || typeof options.url !== 'string' || options.url === '') {
    throw new InputError(
      'bad-url',
      'options.url is required: the address of the page, so links can be made absolute.',
    );
  }
  try {
    const url = new URL(options.url);
    if (!['http:', 'https:', 'file:'].includes(url.protocol)) throw new Error(url.protocol);
    return url.href;
  } catch {
    throw new InputError('bad-url', `options.url "${options.url}" is not an absolute http(s) or file URL.`);
  }
}

/**
 * A JSON document: declared so, or text that starts like one and parses. Text that starts with `[`
 * and does not parse is left to the text reader (`lynx -dump` output starts with `[1]…`).
 */
function readJson(
  text: string,
  url: string,
  contentType: string | undefined,
): { value: unknown } | undefined {
  const declared = /^\s*(?:application|text)\/(?:[\w.+-]*\+)?json\b/i.test(contentType ?? '');
  const start = /^\s*([[{])/.exec(text)?.[1];
  if (!declared && start === undefined) return undefined;
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    if (!declared && start === '[') return undefined;
    throw new InputError(
      'bad-json',
      `The page at ${url} is not valid JSON (${(error as Error).message}): it may be truncated, or an error page.`,
    );
  }
}

/** The root element's name of an XML data document (Hanweb's `<datastore>`), not of XHTML. */
function xmlDataRoot(text: string): string | undefined {
  return /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(datastore)[\s>]/i.exec(text.slice(0, 4096))?.[1];
}

function looksLikeHtml(text: string): boolean {
  const head = text.slice(0, 4096);
  return (
    /^\s*(?:<!--[\s\S]*?-->\s*)*<(?:!doctype|html|head|body|\?xml|meta|title|div|table)\b/i.test(head) ||
    /<(?:html|body|div|ul|li|table|p|a)\b[^>]*>/i.test(head)
  );
}

/**
 * The profile to use: the one given, else the registered one for the URL, else the one the page's
 * `<meta>` names, else a CMS family whose marks are on the page, else `auto`. Tells
 * `options.onProfile` which and why.
 */
export function chooseProfile(options: ParseOptions, url: string, document?: Document): SiteProfile {
  const { profile, chosenBy } = findProfile(options, url, document);
  options.onProfile?.(profile, chosenBy);
  return profile;
}

function findProfile(
  options: ParseOptions,
  url: string,
  document: Document | undefined,
): { profile: SiteProfile; chosenBy: ProfileChoice } {
  if (typeof options.profile === 'object' && options.profile !== null) {
    return { profile: options.profile, chosenBy: 'given' };
  }
  if (typeof options.profile === 'string')
    return { profile: profiles.get(options.profile), chosenBy: 'given' };
  const byUrl = profiles.forUrl(new URL(url));
  if (byUrl) return { profile: byUrl, chosenBy: 'url' };
  if (document) {
    const meta = new Map<string, string>();
    for (const element of selectIn(document, 'meta[name][content]')) {
      meta.set(element.attribs.name as string, element.attribs.content as string);
    }
    const byMeta = profiles.forMeta(meta);
    if (byMeta) return { profile: byMeta, chosenBy: 'meta' };
    const byPage = profiles.forPage(document);
    if (byPage) return { profile: byPage, chosenBy: 'page' };
  }
  // Detection reads most listing pages no one wrote a profile for: better than refusing them.
  return { profile: autoProfile, chosenBy: 'fallback' };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'an object';
  return typeof value;
}

function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}
