import { DateError, LayoutError } from '../errors.js';
import type { RawArticle, RawItem } from '../extract/raw.js';
import { asList, describeRules } from '../extract/rules.js';
import type { FieldRules, JsonListRules, ListRules, SiteProfile } from '../profiles/types.js';
import type { Article, ItemField } from '../types.js';
import { cleanBody } from './body.js';
import { type ParsedDate, readDate } from './dates.js';
import { paragraphsToHtml } from './html.js';
import { articleId } from './id.js';
import { type ItemFailure, type ItemPlace, itemFailure } from './skipped.js';
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
  /** The list rules items were read with (HTML listings), named when an item is left out. */
  list?: ListRules | undefined;
  /** The JSON rules items were read with (JSON listings), named the same way. */
  jsonList?: JsonListRules | undefined;
}

/** The `format` a date field's rules give, if any: it applies to whatever value they read. */
export function dateFormatOf(rules: FieldRules | undefined): string | undefined {
  return rules === undefined ? undefined : asList(rules).find((rule) => rule.format)?.format;
}

/** A listing item becomes an article, or is left out for the reason `failure` gives. */
export type ListingItemResult = { article: Article } | { failure: ItemFailure };

type Checked<T> = { value: T } | { failure: ItemFailure };

/**
 * A listing item → Article, unless its title, link or date is unusable. Its text, when the
 * listing carries one, becomes paragraphs.
 */
export function normalizeListingItem(
  raw: RawItem,
  place: ItemPlace,
  context: NormalizeContext,
): ListingItemResult {
  const title = checkTitle(raw, place, context);
  if ('failure' in title) return title;
  const url = checkLink(raw, title.value, place, context);
  if ('failure' in url) return url;
  const date = checkDate(raw, title.value, place, context);
  if ('failure' in date) return date;
  const paragraphs = raw.content === undefined ? [] : splitParagraphs(raw.content);
  const contentText = paragraphs.join('\n\n');
  const article = build({
    url: url.value,
    title: title.value,
    publishedAt: date.value.iso,
    datePrecision: date.value.precision,
    contentText,
    contentHtml: paragraphsToHtml(paragraphs),
    images: [],
    attachments: [],
    context,
  });
  return { article };
}

/** An article page → Article, with its body cleaned and sanitized. */
export function normalizeArticlePage(raw: RawArticle, context: NormalizeContext): Article {
  const title = requireTitle(raw.title, context);
  const date = refineDate(requireDate(raw.date, title, context), raw.exactDate, context);
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

/** A date in the profile's zone, read against the reference with the rule's format, if any. */
function readListingDate(text: string, context: NormalizeContext): ParsedDate {
  return readDate(text, {
    timeZone: context.profile.timeZone,
    reference: context.reference,
    ...(context.dateFormat && { format: context.dateFormat }),
  });
}

function requireDate(raw: string, title: string, context: NormalizeContext) {
  try {
    return readListingDate(raw, context);
  } catch (error) {
    if (!(error instanceof DateError)) throw error;
    throw new LayoutError(
      'bad-date',
      `Profile "${context.profile.id}": "${title}" on ${context.pageUrl} has no valid date: ${error.message}`,
      { profile: context.profile.id, rule: 'date', url: context.pageUrl },
    );
  }
}

const PRECISION_RANK = { day: 0, minute: 1, second: 2 } as const;

/** The machine-written time instead of the printed one when it names the same day more precisely. */
function refineDate(printed: ParsedDate, exact: string | undefined, context: NormalizeContext): ParsedDate {
  if (exact === undefined) return printed;
  let machine: ParsedDate;
  try {
    // Machine-written: the date rule's `format` is for the printed form, not this one.
    machine = readDate(exact, { timeZone: context.profile.timeZone, reference: context.reference });
  } catch (error) {
    if (error instanceof DateError) return printed;
    throw error;
  }
  const sameDay = machine.iso.slice(0, 10) === printed.iso.slice(0, 10);
  return sameDay && PRECISION_RANK[machine.precision] > PRECISION_RANK[printed.precision] ? machine : printed;
}

/** The rules that read `field`, for reports: text listings have none. */
function looked(context: NormalizeContext, field: ItemField): string | undefined {
  return context.list ? describeRules(context.list[field]) : context.jsonList?.[field];
}

function checkTitle(raw: RawItem, place: ItemPlace, context: NormalizeContext): Checked<string> {
  const title = cleanLine(raw.title);
  if (title) return { value: title };
  const found = raw.unread?.title ?? raw.title;
  return { failure: itemFailure('empty-title', found, place, { looked: looked(context, 'title') }) };
}

/** The absolute link; none for a text listing's item that has none (its id is then a hash). */
function checkLink(
  raw: RawItem,
  title: string,
  place: ItemPlace,
  context: NormalizeContext,
): Checked<string | undefined> {
  const unread = raw.unread?.link;
  if (unread !== undefined) {
    const details = { title, looked: looked(context, 'link'), unread: true };
    return { failure: itemFailure(unread ? 'bad-link' : 'no-link', unread, place, details) };
  }
  if (raw.link === undefined) return { value: undefined };
  const url = resolveLink(raw.link, context.pageUrl);
  return url ? { value: url } : { failure: itemFailure('bad-link', raw.link, place, { title }) };
}

function checkDate(
  raw: RawItem,
  title: string,
  place: ItemPlace,
  context: NormalizeContext,
): Checked<ParsedDate> {
  const unread = raw.unread?.date;
  if (unread !== undefined) {
    const details = { title, looked: looked(context, 'date'), unread: true };
    return { failure: itemFailure(unread ? 'bad-date' : 'no-date', unread, place, details) };
  }
  try {
    return { value: readListingDate(raw.date, context) };
  } catch (error) {
    if (!(error instanceof DateError)) throw error;
    return { failure: itemFailure('bad-date', raw.date, place, { title, why: error.message }) };
  }
}
