import type { Document, Element } from 'domhandler';
import { getInnerHTML } from 'domutils';
import { findArticleBody } from '../detect/article-body.js';
import { LayoutError } from '../errors.js';
import type { FieldRules, SiteProfile } from '../profiles/types.js';
import type { RawArticle } from './raw.js';
import { describeRules, readField, selectFirst } from './rules.js';

/** Reads an article page with a profile's selectors. */
export function extractHtmlArticle(document: Document, profile: SiteProfile, url: string): RawArticle {
  const rules = profile.article;
  const required = (name: 'title' | 'publishedAt', fieldRules: FieldRules): string => {
    const value = readField(document, fieldRules);
    if (value === undefined) {
      throw new LayoutError(
        name === 'title' ? 'no-title' : 'no-date',
        `Profile "${profile.id}" found no ${name === 'title' ? 'title' : 'publication time'} on the article page ` +
          `${url} (looked for ${describeRules(fieldRules)}).`,
        { profile: profile.id, rule: `article.${name}: ${describeRules(fieldRules)}`, url },
      );
    }
    return value;
  };
  const bodies = typeof rules.body === 'string' ? [rules.body] : rules.body;
  const body = firstMatch(document, bodies) ?? (rules.detectBody ? findArticleBody(document) : null);
  if (!body) {
    const tried = bodies.join(' | ');
    throw new LayoutError(
      'no-body',
      `Profile "${profile.id}" found no article body on ${url}: nothing matches "${tried}"` +
        `${rules.detectBody ? ', and no block holds paragraphs of text' : ''}.`,
      { profile: profile.id, rule: `article.body: ${tried}`, url },
    );
  }
  const raw: RawArticle = {
    title: required('title', rules.title),
    date: required('publishedAt', rules.publishedAt),
    bodyHtml: getInnerHTML(body, { decodeEntities: false }),
  };
  const author = rules.author && readField(document, rules.author);
  if (author) raw.author = author;
  const section = readField(document, rules.section ?? profile.source.section);
  if (section) raw.section = section;
  const sourceName = profile.source.name && readField(document, profile.source.name);
  if (sourceName) raw.sourceName = sourceName;
  const language = selectFirst(document, 'html')?.attribs.lang?.trim();
  if (language) raw.language = language;
  return raw;
}

/** The first element the first matching selector finds: selectors are tried in order of preference, not document order. */
function firstMatch(document: Document, selectors: readonly string[]): Element | null {
  for (const selector of selectors) {
    const found = selectFirst(document, selector);
    if (found) return found;
  }
  return null;
}
