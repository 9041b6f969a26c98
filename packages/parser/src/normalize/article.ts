import { DateError, LayoutError } from '../errors.js';
import type { RawArticle, RawItem } from '../extract/raw.js';
import { asList } from '../extract/rules.js';
import type { FieldRules, SiteProfile } from '../profiles/types.js';
import type { Article } from '../types.js';
import { cleanBody } from './body.js';
import { readDate } from './dates.js';
import { paragraphsToHtml } from './html.js';
import { articleId } from './id.js';
import { summarize } from './summary.js';
import { cleanLine, splitParagraphs } from './text.js';
import { resolveLink } from './url.js';

export interface NormalizeContext {
  profile: SiteProfile;
  /** The page the item was read from. */
  pageUrl: string;
  /** What identifies the source in hashed ids: the listing's URL. */
  sourceKey: string;
  section?: string | undefined;
  language: string;
  /** "Now" for relative and year-less dates. */
  reference: Date;
  /** The date rule's `format`, when it has one. */
  dateFormat?: string | undefined;
}

/** The `format` a date field's rules give, if any: it applies to whatever value they read. */
export function dateFormatOf(rules: FieldRules | undefined): string | undefined {
  return rules === undefined ? undefined : asList(rules).find((rule) => rule.format)?.format;
}

/** A listing item → Article. Its text, when the listing carries one, becomes paragraphs. */
export function normalizeListingItem(raw: RawItem, context: NormalizeContext): Article {
  const title = requireTitle(raw.title, context);
  const date = requireDate(raw.date, title, context);
  const url = raw.link === undefined ? undefined : requireLink(raw.link, title, context);
  const paragraphs = raw.content === undefined ? [] : splitParagraphs(raw.content);
  const contentText = paragraphs.join('\n\n');
  return build({
    url,
    title,
    publishedAt: date.iso,
    datePrecision: date.precision,
    contentText,
    contentHtml: paragraphsToHtml(paragraphs),
    images: [],
    attachments: [],
    context,
  });
}

/** An article page → Article, with its body cleaned and sanitized. */
export function normalizeArticlePage(raw: RawArticle, context: NormalizeContext): Article {
  const title = requireTitle(raw.title, context);
  const date = requireDate(raw.date, title, context);
  const body = cleanBody(raw.bodyHtml, context.pageUrl);
  const author = raw.author === undefined ? undefined : cleanLine(raw.author) || undefined;
  return build({
    url: context.pageUrl,
    title,
    publishedAt: date.iso,
    datePrecision: date.precision,
    ...body,
    author,
    context: { ...context, section: raw.section ?? context.section },
  });
}

interface ArticleParts extends Omit<Article, 'id' | 'summary' | 'section' | 'language' | 'url' | 'author'> {
  url: string | undefined;
  author?: string | undefined;
  context: NormalizeContext;
}

function build({ context, url, author, ...parts }: ArticleParts): Article {
  const article: Article = {
    id: articleId({ url, source: context.sourceKey, title: parts.title, publishedAt: parts.publishedAt }),
    ...(url ? { url } : {}),
    title: parts.title,
    publishedAt: parts.publishedAt,
    datePrecision: parts.datePrecision,
    summary: summarize(parts.contentText),
    contentText: parts.contentText,
    contentHtml: parts.contentHtml,
    images: parts.images,
    attachments: parts.attachments,
    ...(author ? { author } : {}),
    ...(context.section ? { section: context.section } : {}),
    language: context.language,
  };
  return article;
}

function requireTitle(raw: string, context: NormalizeContext): string {
  const title = cleanLine(raw);
  if (!title) {
    throw new LayoutError(
      'missing-field',
      `Profile "${context.profile.id}": an item on ${context.pageUrl} has an empty title.`,
      {
        profile: context.profile.id,
        rule: 'title',
        url: context.pageUrl,
      },
    );
  }
  return title;
}

function requireDate(raw: string, title: string, context: NormalizeContext) {
  try {
    return readDate(raw, {
      timeZone: context.profile.timeZone,
      reference: context.reference,
      ...(context.dateFormat && { format: context.dateFormat }),
    });
  } catch (error) {
    if (!(error instanceof DateError)) throw error;
    throw new LayoutError(
      'bad-date',
      `Profile "${context.profile.id}": "${title}" on ${context.pageUrl} has no valid date: ${error.message}`,
      { profile: context.profile.id, rule: 'date', url: context.pageUrl },
    );
  }
}

function requireLink(raw: string, title: string, context: NormalizeContext): string {
  const url = resolveLink(raw, context.pageUrl);
  if (!url) {
    throw new LayoutError(
      'bad-link',
      `Profile "${context.profile.id}": the link of "${title}" on ${context.pageUrl} is not a web address ("${raw.slice(0, 120)}").`,
      { profile: context.profile.id, rule: 'link', url: context.pageUrl },
    );
  }
  return url;
}
