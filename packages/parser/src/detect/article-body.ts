import type { AnyNode, Document, Element } from 'domhandler';
import { isInvisible } from './visible-text.js';

/** Blocks around an article that are never its body, however much text they hold. */
const CHROME = new Set('nav header footer aside form button a'.split(' '));
const CHROME_NAME =
  /(?:^|[-_\s])(?:nav|menu|footer|header|sidebar|side|breadcrumb|crumb|comment|share|copyright)(?:$|[-_\s])/i;
/** A paragraph shorter than this is a caption, a label or a menu entry. */
const MIN_PARAGRAPH = 20;
/** A body with less text than this is not an article. */
const MIN_BODY = 60;
/** The line under a title (`发布时间：… 来源：… 浏览次数：…`) is text, but not the article's. */
const BYLINE = /(?:发布|来源|浏览|点击|作者|编辑|责编|日期|时间)\s*[:：]/;
const BYLINE_MAX = 100;

/**
 * The element holding an article's text on a template no profile knows: each paragraph (`<p>`, or
 * a block with text of its own) scores its length for its parent and half for its grandparent,
 * as readability tools do; the best-scoring element wins. Navigation, headers, footers and hidden
 * blocks do not count.
 */
export function findArticleBody(document: Document): Element | null {
  const scores = new Map<Element, number>();
  const visit = (node: AnyNode): void => {
    if (node.type !== 'tag' && node.type !== 'script' && node.type !== 'style') {
      if ('children' in node) for (const child of node.children) visit(child);
      return;
    }
    const element = node as Element;
    if (isInvisible(element) || isChrome(element)) return;
    const length = paragraphLength(element);
    if (length >= MIN_PARAGRAPH && !isByline(element, length)) {
      const parent = element.parent?.type === 'tag' ? (element.parent as Element) : undefined;
      if (parent) scores.set(parent, (scores.get(parent) ?? 0) + length);
      const grandparent = parent?.parent?.type === 'tag' ? (parent.parent as Element) : undefined;
      if (grandparent) scores.set(grandparent, (scores.get(grandparent) ?? 0) + length / 2);
    }
    for (const child of element.children) visit(child);
  };
  visit(document);
  let best: Element | null = null;
  let bestScore = MIN_BODY;
  for (const [element, score] of scores) {
    if (score > bestScore) {
      best = element;
      bestScore = score;
    }
  }
  return best;
}

function isByline(element: Element, length: number): boolean {
  if (length > BYLINE_MAX) return false;
  let text = '';
  for (const child of element.children) if (child.type === 'text') text += child.data;
  return BYLINE.test(text);
}

function isChrome(element: Element): boolean {
  if (CHROME.has(element.name)) return true;
  const names = `${element.attribs.class ?? ''} ${element.attribs.id ?? ''}`;
  return names.trim() !== '' && CHROME_NAME.test(names);
}

/** Text a paragraph holds itself: a `<p>`'s whole text, or a block's own text nodes. */
function paragraphLength(element: Element): number {
  if (element.name === 'p') return textLength(element);
  let own = 0;
  for (const child of element.children) if (child.type === 'text') own += child.data.trim().length;
  return own;
}

function textLength(node: AnyNode): number {
  if (node.type === 'text') return node.data.trim().length;
  if (node.type !== 'tag' || isInvisible(node as Element) || (node as Element).name === 'a') return 0;
  let length = 0;
  for (const child of (node as Element).children) length += textLength(child);
  return length;
}
