import { extractHtmlListing } from './extract/listing-html.js';
import { extractTextListing } from './extract/listing-text.js';
import { pageInfo } from './extract/pagination.js';
import type { RawListing } from './extract/raw.js';
import { chooseProfile, type PageInput, prepareInput } from './input.js';
import { normalizeListingItem } from './normalize/article.js';
import { parseHtml } from './normalize/html.js';
import { cleanLine } from './normalize/text.js';
import type { ListingResult, ParseOptions } from './types.js';

/**
 * A listing page (HTML bytes in any charset, an HTML string, or the page's plain text) → its
 * source, its articles in page order, and its pagination.
 *
 * @throws {InputError} bad options, empty, oversized or truncated input
 * @throws {DecodeError} binary data or an undecodable charset
 * @throws {ProfileError} no profile for the page
 * @throws {LayoutError} the profile found no articles, or an article lacks a title, link or date
 */
export function parseListing(input: PageInput, options: ParseOptions): ListingResult {
  const { text, form, url } = prepareInput(input, options);
  let raw: RawListing;
  let profile: ReturnType<typeof chooseProfile>;
  if (form === 'html') {
    const document = parseHtml(text);
    profile = chooseProfile(options, url, document);
    raw = extractHtmlListing(document, profile, url);
  } else {
    profile = chooseProfile(options, url);
    raw = extractTextListing(text, profile, url);
  }
  const section = raw.section ? cleanLine(raw.section) : '';
  const context = {
    profile,
    pageUrl: url,
    sourceKey: new URL(url).origin + new URL('.', url).pathname,
    section: section || undefined,
    language: raw.language ?? profile.language,
  };
  return {
    source: { name: cleanLine(raw.sourceName ?? '') || profile.name, section, url },
    articles: raw.items.map((item) => normalizeListingItem(item, context)),
    pages: pageInfo(url, { total: raw.total, current: raw.current }, profile.pagination),
  };
}
