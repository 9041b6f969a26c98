import type { Document } from 'domhandler';
import { detectList, type ListDetection } from './detect/index.js';
import { extractHtmlListing } from './extract/listing-html.js';
import { extractTextListing } from './extract/listing-text.js';
import type { RawListing } from './extract/raw.js';
import { parseXml } from './hanweb/datastore.js';
import { chooseProfile, type PreparedInput } from './input.js';
import { parseHtml } from './normalize/html.js';
import type { ListRules, SiteProfile } from './profiles/types.js';
import type { PageInfo, ParseOptions } from './types.js';

/** A listing page read, before normalizing: what it holds and what read it. */
export interface ReadListingPage {
  profile: SiteProfile;
  raw: RawListing;
  /** The HTML rules the items were read with. */
  list?: ListRules | undefined;
  /** When the reader knows them better than the profile's pagination rules (a list source). */
  pages?: PageInfo | undefined;
  detection?: ListDetection | undefined;
}

/** Reads the page by its form: markup (HTML, or XML data such as Hanweb's), or text. */
export function readListingPage(input: PreparedInput, options: ParseOptions): ReadListingPage {
  const { text, form, url } = input;
  if (form === 'text') {
    const profile = chooseProfile(options, url);
    return { profile, raw: extractTextListing(text, profile, url) };
  }
  return readMarkupPage(form === 'xml' ? parseXml(text) : parseHtml(text), options, url);
}

function readMarkupPage(document: Document, options: ParseOptions, url: string): ReadListingPage {
  const profile = chooseProfile(options, url, document);
  const source = profile.listSource?.read(document, { url, request: options.request, profile: profile.id });
  const items = source?.items ?? document;
  let detection: ListDetection | undefined;
  if (!profile.list) detection = detectList(items, url, profile.detect);
  const list = profile.list ?? (detection as ListDetection).list;
  return {
    profile,
    raw: extractHtmlListing(document, profile, list, url, items),
    list,
    pages: source?.pages,
    detection,
  };
}
