import { InputError } from './errors.js';
import { extractHtmlArticle } from './extract/article-html.js';
import { chooseProfile, type PageInput, prepareInput } from './input.js';
import { dateFormatOf, normalizeArticlePage } from './normalize/article.js';
import { parseHtml } from './normalize/html.js';
import type { Article, ParseOptions } from './types.js';

/**
 * An article page → Article: title, publication time to the minute, origin, the body as safe
 * HTML and as text, its images and attachments with absolute URLs. A page no profile knows is read
 * by the generic article rules (`auto`).
 *
 * @throws {InputError} bad options, empty, oversized, truncated or non-HTML input
 * @throws {DecodeError} binary data or an undecodable charset
 * @throws {ProfileError} an unknown profile id, or an invalid selector in the profile given
 * @throws {LayoutError} no title, date or body where the profile looks
 */
export function parseArticle(input: PageInput, options: ParseOptions): Article {
  const { text, form, url } = prepareInput(input, options);
  if (form !== 'html') {
    throw new InputError(
      'not-html',
      `The article page ${url} is not HTML; article pages are read from their HTML.`,
    );
  }
  const document = parseHtml(text);
  const profile = chooseProfile(options, url, document);
  const raw = extractHtmlArticle(document, profile, url);
  return normalizeArticlePage(raw, {
    profile,
    pageUrl: url,
    sourceKey: new URL(url).origin + new URL('..', url).pathname,
    section: raw.section,
    language: raw.language ?? profile.language,
    reference: options.now ?? new Date(),
    dateFormat: dateFormatOf(profile.article.publishedAt),
  });
}
