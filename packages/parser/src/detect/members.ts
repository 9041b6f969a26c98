import type { Element } from 'domhandler';
import { childElements, contains, ownText } from './dom.js';
import { hasDate } from './has-date.js';
import { type ArticleLink, articleLinksIn } from './links.js';
import type { DetectOptions } from './types.js';
import { isInvisible, normalizeSpace, type VisibleText } from './visible-text.js';

/** What one member of a candidate group holds, as a listing item would. */
export interface MemberFacts {
  element: Element;
  /** The title link: its URL is the article's. */
  link: ArticleLink | undefined;
  /** Normalized title; empty when none was found. */
  title: string;
  /** Where the title is read. */
  titleElement: Element | undefined;
  /** The title is the link's `title` attribute (often the untruncated title) rather than its text. */
  titleFromAttribute: boolean;
  /** The smallest visible element whose text holds the date; the member itself for a bare text date. */
  dateHolder: Element | undefined;
  /** The date holder's visible text. */
  dateText: string;
  /** Distinct article URLs in the member: more than a couple means a container of lists. */
  articleLinks: number;
  textLength: number;
  linkTextLength: number;
}

export function isComplete(facts: MemberFacts): boolean {
  return facts.link !== undefined && facts.title !== '' && facts.dateHolder !== undefined;
}

/** Reads a candidate member the way a listing item is read: link, title, date. */
export function analyzeMember(
  element: Element,
  texts: VisibleText,
  pageUrl: string,
  options: DetectOptions,
): MemberFacts {
  const links = articleLinksIn(element, pageUrl, options);
  const titled = pickTitleLink(links, texts);
  const dateHolder = findDateHolder(element, texts, titled?.link.element);
  const title = titled
    ? titleOfLink(titled, texts, dateHolder)
    : titleWithoutLink(element, texts, dateHolder);
  const linkElements = new Set(links.map((link) => link.element));
  let linkTextLength = 0;
  for (const linkElement of linkElements) linkTextLength += texts.length(linkElement);
  return {
    element,
    link: titled?.link ?? links[0],
    title: title.text,
    titleElement: title.element,
    titleFromAttribute: title.fromAttribute,
    dateHolder,
    dateText: dateHolder
      ? normalizeSpace(dateHolder === element ? ownText(element) : texts.of(dateHolder))
      : '',
    articleLinks: new Set(links.map((link) => link.url)).size,
    textLength: texts.length(element),
    linkTextLength,
  };
}

interface TitledLink {
  link: ArticleLink;
  title: string;
  fromAttribute: boolean;
}

/** The article link with the longest title: skips image links and `[category]` prefixes. */
function pickTitleLink(links: readonly ArticleLink[], texts: VisibleText): TitledLink | undefined {
  let best: TitledLink | undefined;
  for (const link of links) {
    const text = normalizeSpace(texts.of(link.element));
    const attribute = normalizeSpace(link.element.attribs.title ?? '');
    const fromAttribute = attribute.length > 0 && attribute.length >= text.length;
    const title = fromAttribute ? attribute : text;
    if (title && (!best || title.length > best.title.length)) best = { link, title, fromAttribute };
  }
  return best;
}

interface FoundTitle {
  text: string;
  element: Element | undefined;
  fromAttribute: boolean;
}

/** The link's title, or, when the link wraps the date too, its longest part besides the date. */
function titleOfLink(titled: TitledLink, texts: VisibleText, dateHolder: Element | undefined): FoundTitle {
  const { link, title, fromAttribute } = titled;
  if (!fromAttribute && dateHolder && dateHolder !== link.element && contains(link.element, dateHolder)) {
    const part = titleElementIn(link.element, texts, dateHolder);
    if (part) return { text: normalizeSpace(texts.of(part)), element: part, fromAttribute: false };
  }
  return { text: title, element: link.element, fromAttribute };
}

function titleWithoutLink(member: Element, texts: VisibleText, dateHolder: Element | undefined): FoundTitle {
  const element = titleElementIn(member, texts, dateHolder);
  return { text: element ? normalizeSpace(texts.of(element)) : '', element, fromAttribute: false };
}

/**
 * Descends from the member towards the date, stopping where it is a bare text node: into the
 * child whose text holds one, the shortest such child outside the title (a date cell, not a
 * summary that mentions "12月3日").
 */
function findDateHolder(
  member: Element,
  texts: VisibleText,
  title: Element | undefined,
): Element | undefined {
  if (!hasDate(texts.of(member))) return undefined;
  let current = member;
  for (;;) {
    if (hasDate(ownText(current))) return current;
    const next = shortestDatedChild(current, texts, title);
    if (!next) return current;
    current = next;
  }
}

function shortestDatedChild(
  parent: Element,
  texts: VisibleText,
  title: Element | undefined,
): Element | undefined {
  let best: Element | undefined;
  let bestRank = Number.POSITIVE_INFINITY;
  for (const child of childElements(parent)) {
    if (isInvisible(child) || !hasDate(texts.of(child))) continue;
    // Outside the title first, then shorter text.
    const rank = (title && contains(child, title) ? 1e9 : 0) + texts.length(child);
    if (rank < bestRank) {
      best = child;
      bestRank = rank;
    }
  }
  return best;
}

const HEADING = /^h[1-6]$/;
const TITLE_CLASS = /(?:^|[\s_-])(?:title|tit|bt|headline)(?:$|[\s_-])/i;

/**
 * Where the title is when no link text gives it: a heading or an element classed as a title,
 * else the element with the most visible text (the deepest among equals), the date left out.
 */
function titleElementIn(
  root: Element,
  texts: VisibleText,
  dateHolder: Element | undefined,
): Element | undefined {
  let heading: Element | undefined;
  let longest: Element | undefined;
  let longestLength = 0;
  const visit = (element: Element): void => {
    for (const child of childElements(element)) {
      if (isInvisible(child)) continue;
      if (!dateHolder || !contains(child, dateHolder)) {
        const length = texts.length(child);
        const titled = HEADING.test(child.name) || TITLE_CLASS.test(child.attribs.class ?? '');
        if (titled && length > 0 && !heading) heading = child;
        if (
          length > longestLength ||
          (length > 0 && length === longestLength && longest && contains(longest, child))
        ) {
          longest = child;
          longestLength = length;
        }
      }
      visit(child);
    }
  };
  visit(root);
  return heading ?? longest;
}
