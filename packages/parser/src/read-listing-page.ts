import type { Document } from 'domhandler';
import { detectList, type ListDetection } from './detect/index.js';
import { LayoutError } from './errors.js';
import { extractHtmlListing, readPageSource } from './extract/listing-html.js';
import { extractTextListing } from './extract/listing-text.js';
import { toCount } from './extract/pagination.js';
import type { RawListing } from './extract/raw.js';
import { readField } from './extract/rules.js';
import { parseXml } from './hanweb/datastore.js';
import { chooseProfile, type PreparedInput } from './input.js';
import { apiPageInfo } from './json/api.js';
import { detectEmbeddedJson, type JsonRead, readEmbeddedJson, readJsonDocument } from './json/read-json.js';
import type { JsonListDetection } from './json/types.js';
import { parseHtml } from './normalize/html.js';
import type { FieldRules, JsonListRules, ListRules, SiteProfile } from './profiles/types.js';
import type { PageInfo, ParseOptions } from './types.js';

/** A listing page read, before normalizing: what it holds and what read it. */
export interface ReadListingPage {
  profile: SiteProfile;
  raw: RawListing;
  /** The HTML rules the items were read with. */
  list?: ListRules | undefined;
  /** The JSON rules the items were read with. */
  jsonList?: JsonListRules | undefined;
  /** When the reader knows them better than the profile's pagination rules (a list source, an API). */
  pages?: PageInfo | undefined;
  detection?: ListDetection | undefined;
  jsonDetection?: JsonListDetection | undefined;
}

/** Reads the page by its form: markup (HTML, or XML data such as Hanweb's), JSON, or text. */
export function readListingPage(input: PreparedInput, options: ParseOptions): ReadListingPage {
  const { text, form, url } = input;
  if (form === 'text') {
    const profile = chooseProfile(options, url);
    return { profile, raw: extractTextListing(text, profile, url) };
  }
  if (form === 'json') return readJsonPage(input.value, chooseProfile(options, url), url);
  return readMarkupPage(form === 'xml' ? parseXml(text) : parseHtml(text), options, url);
}

function readMarkupPage(document: Document, options: ParseOptions, url: string): ReadListingPage {
  const profile = chooseProfile(options, url, document);
  if (profile.json) {
    const read = readEmbeddedJson(document, profile.json, profile, url);
    return fromEmbedded(read, document, profile);
  }
  const source = profile.listSource?.read(document, { url, request: options.request, profile: profile.id });
  const items = source?.items ?? document;
  let detection: ListDetection | undefined;
  if (!profile.list) {
    try {
      detection = detectList(items, url, profile.detect);
    } catch (error) {
      // No list in the markup: it may be in the JSON the page's script builds it from.
      const embedded = error instanceof LayoutError ? detectEmbeddedJson(document, profile, url) : undefined;
      if (!embedded) throw error;
      return fromEmbedded(embedded, document, profile);
    }
  }
  const list = profile.list ?? (detection as ListDetection).list;
  return {
    profile,
    raw: extractHtmlListing(document, profile, list, url, items),
    list,
    pages: source?.pages,
    detection,
  };
}

function readJsonPage(document: unknown, profile: SiteProfile, url: string): ReadListingPage {
  const read = readJsonDocument(document, profile, url);
  const pages = profile.api
    ? apiPageInfo(profile.api, url, document, read.items.length)
    : { current: 1, total: null, urls: [url] };
  return {
    profile,
    raw: { items: read.items, total: null, current: null },
    jsonList: read.rules,
    pages,
    jsonDetection: read.detection,
  };
}

/** JSON embedded in an HTML page: its items, the page's source, and the page's own pager. */
function fromEmbedded(read: JsonRead, document: Document, profile: SiteProfile): ReadListingPage {
  const pagination = profile.pagination;
  const near = (rules: FieldRules | undefined) => rules && readField(document, rules);
  return {
    profile,
    raw: {
      ...readPageSource(document, profile),
      items: read.items,
      total: toCount(near(pagination?.total)),
      current: toCount(near(pagination?.current), pagination?.currentIsZeroBased),
      next: near(pagination?.next),
    },
    jsonList: read.rules,
    jsonDetection: read.detection,
  };
}
