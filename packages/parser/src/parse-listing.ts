import { detectList, type ListDetection } from './detect/index.js';
import { extractHtmlListing } from './extract/listing-html.js';
import { extractTextListing } from './extract/listing-text.js';
import { pageInfo } from './extract/pagination.js';
import type { RawListing } from './extract/raw.js';
import { chooseProfile, type PageInput, prepareInput } from './input.js';
import { dateFormatOf } from './normalize/article.js';
import { parseHtml } from './normalize/html.js';
import { normalizeListingItems } from './normalize/listing-items.js';
import { cleanLine } from './normalize/text.js';
import type { ListRules } from './profiles/types.js';
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
  const { text, form, url } = prepareInput(input, options);
  let raw: RawListing;
  let profile: ReturnType<typeof chooseProfile>;
  let detection: ListDetection | undefined;
  let list: ListRules | undefined;
  if (form === 'html') {
    const document = parseHtml(text);
    profile = chooseProfile(options, url, document);
    if (!profile.list) detection = detectList(document, url, profile.detect);
    list = profile.list ?? (detection as ListDetection).list;
    raw = extractHtmlListing(document, profile, list, url);
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
    reference: options.now ?? new Date(),
    dateFormat: dateFormatOf(list?.date),
    list,
  };
  const { articles, skipped } = normalizeListingItems(raw.items, context);
  return {
    source: { name: cleanLine(raw.sourceName ?? '') || profile.name || new URL(url).hostname, section, url },
    articles,
    skipped,
    pages: pageInfo(url, raw, profile.pagination),
    ...(detection && { detection }),
  };
}
