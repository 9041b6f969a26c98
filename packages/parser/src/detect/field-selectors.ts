import type { Element } from 'domhandler';
import { childElements } from './dom.js';
import { simpleSelector, stableClasses } from './names.js';

/**
 * Selectors that may find `target` below an item, most readable first: `p.list-date`,
 * `h3 a`, `span`, `td:nth-of-type(2)`. `undefined` stands for the item itself (a rule with no
 * selector). Which one actually works is for the caller to check on every item.
 */
export function fieldSelectors(target: Element, item: Element): (string | undefined)[] {
  if (target === item) return [undefined];
  const tag = target.name;
  const selectors: string[] = [];
  if (stableClasses(target).length > 0) selectors.push(simpleSelector(target));
  const parent = target.parent as Element | null;
  if (parent && parent !== item && parent.type === 'tag') selectors.push(`${simpleSelector(parent)} ${tag}`);
  selectors.push(tag);
  if (parent && parent.type === 'tag') {
    const sameTag = childElements(parent).filter((child) => child.name === tag);
    const position = sameTag.indexOf(target) + 1;
    if (sameTag.length > 1) {
      selectors.push(position === sameTag.length ? `${tag}:last-of-type` : `${tag}:nth-of-type(${position})`);
    }
  }
  return [...new Set(selectors)];
}

/** The selector narrowed to elements carrying `attribute`: `a` → `a[title]`. */
export function withAttribute(selector: string | undefined, attribute: string): string | undefined {
  return selector === undefined ? undefined : `${selector}[${attribute}]`;
}
