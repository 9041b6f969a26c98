import type { AnyNode, Document, Element } from 'domhandler';
import { isInvisible, normalizeSpace } from './visible-text.js';

/**
 * A label bylines print before the time; the short ones only standing on their own: `时间：`, not
 * the `时间` of `活动时间` or `网站更新时间`. Between label and value: `:`, `：`, spaces, `&nbsp;`
 * (decoded, or left as text by templates that encode it twice).
 */
const LABELLED_DATE = new RegExp(
  String.raw`(?:发布时间|发布日期|发文日期|成文日期|(?<!\p{Script=Han})(?:更新时间|时间|日期))(?:\s|&nbsp;)*[:：]?(?:\s|&nbsp;)*` +
    String.raw`(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*[日号]?` +
    String.raw`(?:[\sT]*\d{1,2}\s*[:：时]\s*\d{1,2}(?:\s*[:：分]\s*\d{1,2})?(?:[.,]\d+)?)?(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?)`,
  'gu',
);
/** A byline sits right under the title: a labelled date farther on is in the text, a sidebar or the footer. */
const NEAR_TITLE = 200;
const HEADING = /^h[1-6]$/;
const TITLE_NAME = /title/i;

export interface LabelledDate {
  /** The date as printed, e.g. `2021-05-19 10:41:27`. */
  value: string;
  /** Whether it follows the title closely, as a byline does. */
  nearTitle: boolean;
}

/**
 * The labelled date (`发布时间&nbsp;2021-05-19 10:41:27`, `日期：2021年5月19日`) nearest after the
 * page's title, in its visible text. Pages also print labelled dates in sidebars, related-article
 * lists and footers; bylines follow the title, so one after it wins over one before.
 */
export function findLabelledDate(document: Document, title: string): LabelledDate | undefined {
  const page = visibleText(document);
  const heading = titleSpan(page.headings, normalizeSpace(title));
  let best: { value: string; distance: number; after: boolean } | undefined;
  for (const match of page.text.matchAll(LABELLED_DATE)) {
    const start = match.index;
    const after = heading === undefined || start >= heading.start;
    const distance =
      heading === undefined ? start : after ? Math.max(0, start - heading.end) : heading.start - start;
    if (!best || (after && !best.after) || (after === best.after && distance < best.distance)) {
      best = { value: normalizeSpace(match[1] as string), distance, after };
    }
  }
  if (!best) return undefined;
  return { value: best.value, nearTitle: heading !== undefined && best.after && best.distance <= NEAR_TITLE };
}

interface Span {
  element: Element;
  text: string;
  start: number;
  end: number;
}

/** The page's visible text, one text node a line with its spaces collapsed, and where headings lie in it. */
function visibleText(document: Document): { text: string; headings: Span[] } {
  const parts: string[] = [];
  let length = 0;
  const headings: Span[] = [];
  const walk = (node: AnyNode): void => {
    if (node.type === 'text') {
      const text = normalizeSpace(node.data);
      if (text === '') return;
      parts.push(text);
      length += text.length + 1;
      return;
    }
    if (node.type !== 'tag' && node.type !== 'root') return;
    if (node.type === 'tag' && isInvisible(node as Element)) return;
    const element = node as Element;
    const start = length;
    for (const child of element.children) walk(child);
    if (node.type === 'tag' && isHeading(element)) {
      headings.push({ element, text: '', start, end: length });
    }
  };
  walk(document);
  const text = parts.join('\n');
  for (const heading of headings) heading.text = normalizeSpace(text.slice(heading.start, heading.end));
  return { text, headings };
}

function isHeading(element: Element): boolean {
  if (HEADING.test(element.name)) return true;
  return TITLE_NAME.test(`${element.attribs.class ?? ''} ${element.attribs.id ?? ''}`);
}

/**
 * Where the article's title is printed: the heading whose text is the title, else the one sharing
 * most of it (`<title>` often adds the site: `标题-新闻网`). Links are left out: a sidebar of
 * latest articles may list this one too.
 */
function titleSpan(headings: readonly Span[], title: string): Span | undefined {
  let best: { span: Span; score: number } | undefined;
  for (const span of headings) {
    if (span.text === '' || insideLink(span.element)) continue;
    const shorter = Math.min(span.text.length, title.length);
    const overlap = span.text.includes(title) || title.includes(span.text) ? shorter : 0;
    // An <h1>–<h6> beats a block merely named "title" that holds as much.
    const score =
      overlap / Math.max(span.text.length, title.length) + (HEADING.test(span.element.name) ? 0.01 : 0);
    if (overlap >= 2 && score >= 0.5 && (!best || score > best.score)) best = { span, score };
  }
  return best?.span;
}

function insideLink(element: Element): boolean {
  for (let node: Element | null = element; node?.type === 'tag'; node = node.parent as Element | null) {
    if (node.name === 'a') return true;
  }
  return false;
}
