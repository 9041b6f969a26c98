import type { Document, Element } from 'domhandler';
import { getInnerHTML } from 'domutils';
import { findArticleBody } from '../detect/article-body.js';
import { findLabelledDate } from '../detect/labelled-date.js';
import { LayoutError } from '../errors.js';
import type { ArticleRules, SiteProfile } from '../profiles/types.js';
import type { RawArticle } from './raw.js';
import { describeRules, readField, selectFirst } from './rules.js';

/** Reads an article page with a profile's selectors. */
export function extractHtmlArticle(document: Document, profile: SiteProfile, url: string): RawArticle {
  const rules = profile.article;
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
  const title = readField(document, rules.title);
  if (title === undefined) {
    const looked = describeRules(rules.title);
    throw new LayoutError(
      'no-title',
      `Profile "${profile.id}" found no title on the article page ${url} (looked for ${looked}).`,
      { profile: profile.id, rule: `article.title: ${looked}`, url },
    );
  }
  const published = readPublishedAt(document, rules, title);
  if (published.date === undefined) {
    const looked = `${rules.detectDate ? `a date labelled ${DATE_LABELS}, ` : ''}${describeRules(rules.publishedAt)}`;
    throw new LayoutError(
      'no-date',
      `Profile "${profile.id}" found no publication time on the article page ${url} (looked for ${looked}).`,
      { profile: profile.id, rule: `article.publishedAt: ${looked}`, url },
    );
  }
  const raw: RawArticle = {
    title,
    date: published.date,
    ...(published.exactDate !== undefined && { exactDate: published.exactDate }),
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

const DATE_LABELS = '发布时间, 发布日期, 时间 or 日期';

/**
 * The publication time: what the rules read, or with `detectDate` the labelled date right after
 * the title first (the rules' value kept beside it for its precision), the rules next, and a
 * labelled date anywhere last.
 */
function readPublishedAt(
  document: Document,
  rules: ArticleRules,
  title: string,
): { date?: string; exactDate?: string } {
  const read = readField(document, rules.publishedAt);
  if (!rules.detectDate) return read === undefined ? {} : { date: read };
  const labelled = findLabelledDate(document, title);
  if (labelled?.nearTitle) return { date: labelled.value, ...(read !== undefined && { exactDate: read }) };
  const date = read ?? labelled?.value;
  return date === undefined ? {} : { date };
}

/** The first element the first matching selector finds: selectors are tried in order of preference, not document order. */
function firstMatch(document: Document, selectors: readonly string[]): Element | null {
  for (const selector of selectors) {
    const found = selectFirst(document, selector);
    if (found) return found;
  }
  return null;
}
