import type { Document, Element } from 'domhandler';
import { readField, selectIn } from '../extract/rules.js';
import { resolveLink } from '../normalize/url.js';
import type { ListRules } from '../profiles/types.js';
import { hasDate } from './has-date.js';
import { matchesLinkPattern } from './links.js';
import type { DetectOptions } from './types.js';

/**
 * Runs list rules over the page as a profile would and returns the items, or undefined when
 * fewer than two are found or any item lacks a title, a resolvable link or a date.
 */
export function verifyList(
  document: Document,
  list: ListRules,
  pageUrl: string,
  options: DetectOptions,
): Element[] | undefined {
  const items = selectIn(document, list.item);
  if (items.length < 2) return undefined;
  return items.every((item) => readsAsArticle(item, list, pageUrl, options)) ? items : undefined;
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
