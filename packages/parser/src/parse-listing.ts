import { pageInfo } from './extract/pagination.js';
import { type PageInput, prepareInput } from './input.js';
import { dateFormatOf } from './normalize/article.js';
import { normalizeListingItems } from './normalize/listing-items.js';
import { cleanLine } from './normalize/text.js';
import { readListingPage } from './read-listing-page.js';
import type { ListingResult, ParseOptions } from './types.js';

/**
 * A listing page (HTML bytes in any charset, an HTML string, or the page's plain text) → its
 * source, its articles in page order, and its pagination. Items whose link, title or date is
 * unusable (a `javascript:` stub, an empty title, `2024-02-30`) are left out and listed in `skipped`.
 * A page no profile knows is read by `auto`: its list found by detection (text: the generic text rules).
 *
 * @throws {InputError} bad options, empty, oversized or truncated input
 * @throws {DecodeError} binary data or an undecodable charset
 * @throws {ProfileError} an unknown profile id, or an invalid selector in the profile given
 * @throws {LayoutError} the profile found no articles (or detection found no list), or no item is
 *   usable, or more than half are not: a redesign, not a glitch
 */
export function parseListing(input: PageInput, options: ParseOptions): ListingResult {
  const prepared = prepareInput(input, options);
  const { url } = prepared;
  const read = readListingPage(prepared, options);
  const { profile, raw } = read;
  const section = raw.section ? cleanLine(raw.section) : '';
  const context = {
    profile,
    pageUrl: url,
    sourceKey: new URL(url).origin + new URL('.', url).pathname,
    section: section || undefined,
    language: raw.language ?? profile.language,
    reference: options.now ?? new Date(),
    dateFormat: dateFormatOf(read.list?.date),
    list: read.list,
    jsonList: read.jsonList,
  };
  const { articles, skipped } = normalizeListingItems(raw.items, context);
  return {
    source: { name: cleanLine(raw.sourceName ?? '') || profile.name || new URL(url).hostname, section, url },
    articles,
    skipped,
    pages: read.pages ?? pageInfo(url, raw, profile.pagination),
    ...(read.detection && { detection: read.detection }),
    ...(read.jsonDetection && { jsonDetection: read.jsonDetection }),
  };
}
