import type { AnyNode, Element } from 'domhandler';

/** Elements whose content is never part of a listing's visible items. */
const SKIPPED_TAGS = new Set(
  'head script style noscript template iframe object select option textarea svg'.split(' '),
);
const HIDDEN_STYLE = /display\s*:\s*none|visibility\s*:\s*hidden/i;
const HIDDEN_CLASS = /^(?:hid\w*|hide|hidden|d-none|none)$/i;

export function isSkipped(element: Element): boolean {
  return SKIPPED_TAGS.has(element.name);
}

/** Hidden by inline style, the `hidden` attribute, or a class that says so (TRS' `hidDom`). */
export function isHidden(element: Element): boolean {
  const { attribs } = element;
  if (attribs.hidden !== undefined || attribs.type === 'hidden') return true;
  if (attribs.style && HIDDEN_STYLE.test(attribs.style)) return true;
  return (attribs.class ?? '').split(/\s+/).some((name) => HIDDEN_CLASS.test(name));
}

export function isInvisible(element: Element): boolean {
  return isSkipped(element) || isHidden(element);
}

/**
 * Visible text of elements, memoized: detection asks for the text of a block, then of its
 * members, then of their children. Skipped and hidden subtrees contribute nothing.
 */
export class VisibleText {
  private readonly texts = new Map<Element, string>();
  private readonly lengths = new Map<AnyNode, number>();

  of(node: AnyNode): string {
    if (node.type === 'text') return node.data;
    if (node.type !== 'tag') return '';
    const cached = this.texts.get(node);
    if (cached !== undefined) return cached;
    let text = '';
    if (!isInvisible(node)) for (const child of node.children) text += this.of(child);
    this.texts.set(node, text);
    return text;
  }

  /** Length with whitespace runs counted as one and the ends trimmed. */
  length(node: AnyNode): number {
    const cached = this.lengths.get(node);
    if (cached !== undefined) return cached;
    const length = normalizeSpace(this.of(node)).length;
    this.lengths.set(node, length);
    return length;
  }
}

export function normalizeSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
