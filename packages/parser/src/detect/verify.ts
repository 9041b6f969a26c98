import type { Document, Element } from 'domhandler';
import { readField, selectIn } from '../extract/rules.js';
import { isMostlyUnusable } from '../normalize/skipped.js';
import { resolveLink } from '../normalize/url.js';
import type { ListRules } from '../profiles/types.js';
import { hasDate } from './has-date.js';
import { matchesLinkPattern } from './links.js';
import type { DetectOptions } from './types.js';

/**
 * Runs list rules over the page as a profile would and returns the items, or undefined when
 * fewer than two are found, one of `mustRead` does not read as an article, or so many others do
 * not that the parser would refuse the page.
 */
export function verifyList(
  document: Document,
  list: ListRules,
  pageUrl: string,
  options: DetectOptions,
  mustRead: ReadonlySet<Element>,
): Element[] | undefined {
  const items = selectIn(document, list.item);
  if (items.length < 2) return undefined;
  let unreadable = 0;
  for (const item of items) {
    if (readsAsArticle(item, list, pageUrl, options)) continue;
    if (mustRead.has(item)) return undefined;
    unreadable++;
  }
  return isMostlyUnusable(unreadable, items.length) ? undefined : items;
}

function readsAsArticle(item: Element, list: ListRules, pageUrl: string, options: DetectOptions): boolean {
  const title = readField(item, list.title);
  if (!title?.trim()) return false;
  const date = readField(item, list.date);
  if (date === undefined || !hasDate(date)) return false;
  const link = readField(item, list.link);
  const url = link === undefined ? undefined : resolveLink(link, pageUrl);
  return url !== undefined && matchesLinkPattern(link as string, url, options);
}
