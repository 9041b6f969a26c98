import type { Element } from 'domhandler';
import { resolveLink } from '../normalize/url.js';
import { childElements } from './dom.js';
import type { DetectOptions } from './types.js';
import { isInvisible } from './visible-text.js';

/**
 * A quoted URL-ish path inside an `onclick` handler: `isDownLoad(this,'./202412/t….html')`,
 * `openArticle('/xwzx/2024/1204/123.html')`, `window.open("detail.jsp?id=5")`. The first
 * capture group is the path, so the pattern doubles as a profile's link rule.
 */
export const URL_IN_QUOTES =
  /['"]((?:https?:)?\/\/[^'"\s]+|\.{0,2}\/[^'"\s]+|[\w.-]+\/[^'"\s]*|[\w.-]+\.(?:s?html?|jsp|aspx?|php)(?:\?[^'"\s]*)?)['"]/i;

const NOT_A_PAGE = /^(?:javascript:|#|mailto:|tel:|data:)/i;

export interface ArticleLink {
  element: Element;
  /** Where the URL sits: the `href`, or a quoted path in `onclick`. */
  source: 'href' | 'onclick';
  /** Absolute URL. */
  url: string;
}

/** The link an element carries, if it points at a page (and matches `linkPattern` when given). */
export function articleLinkOf(
  element: Element,
  pageUrl: string,
  options: DetectOptions,
): ArticleLink | undefined {
  const href = element.name === 'a' ? element.attribs.href?.trim() : undefined;
  if (href && !NOT_A_PAGE.test(href)) {
    const link = toLink(element, 'href', href, pageUrl, options);
    if (link) return link;
  }
  const onclick = element.attribs.onclick;
  const quoted = onclick ? URL_IN_QUOTES.exec(onclick)?.[1] : undefined;
  return quoted ? toLink(element, 'onclick', quoted, pageUrl, options) : undefined;
}

function toLink(
  element: Element,
  source: ArticleLink['source'],
  raw: string,
  pageUrl: string,
  options: DetectOptions,
): ArticleLink | undefined {
  const url = resolveLink(raw, pageUrl);
  if (!url || !matchesLinkPattern(raw, url, options)) return undefined;
  return { element, source, url };
}

export function matchesLinkPattern(raw: string, url: string, options: DetectOptions): boolean {
  const pattern = options.linkPattern;
  if (!pattern) return true;
  pattern.lastIndex = 0;
  if (pattern.test(raw)) return true;
  pattern.lastIndex = 0;
  return pattern.test(url);
}

/** Containers of whole lists hold dozens of links; knowing there are "many" is enough. */
const MAX_LINKS = 50;

/** The visible article links in `root` (itself included), in document order, at most 50. */
export function articleLinksIn(root: Element, pageUrl: string, options: DetectOptions): ArticleLink[] {
  const links: ArticleLink[] = [];
  const stack: Element[] = [root];
  while (stack.length > 0 && links.length < MAX_LINKS) {
    const element = stack.pop() as Element;
    if (isInvisible(element)) continue;
    const link = articleLinkOf(element, pageUrl, options);
    if (link) links.push(link);
    const children = childElements(element);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Element);
  }
  return links;
}
