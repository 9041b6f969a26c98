import type { Element } from 'domhandler';

const IDENTIFIER = /^-?[A-Za-z_][\w-]*$/;
// Digit runs (`list_20241204`, `content_6797100`) and CSS-in-JS hashes change between page builds.
const GENERATED = /\d{3,}|^(?:css|jsx|sc|svelte|emotion|ng)-|^_[\w-]{4,}$/;
/** Classes that mark a state (the open tab, the first row) rather than a kind of element. */
const STATE_CLASSES = new Set(
  'on active current cur curr selected sel hover first last odd even alt'.split(' '),
);
/** Per-item markers that must not split a run of items into groups (a `new` badge, a float side). */
const ITEM_MARKERS = new Set('new hot top fl fr left right clearfix'.split(' '));

/** A name a selector can rely on: a plain CSS identifier that does not look generated. */
export function isStableName(name: string): boolean {
  return IDENTIFIER.test(name) && name.length <= 40 && !GENERATED.test(name);
}

/** The element's classes usable in a selector, at most `limit`, state classes left out. */
export function stableClasses(element: Element, limit = 3): string[] {
  const names = (element.attribs.class ?? '').split(/\s+/);
  return names.filter((name) => name && isStableName(name) && !STATE_CLASSES.has(name)).slice(0, limit);
}

export function stableId(element: Element): string | undefined {
  const id = element.attribs.id?.trim();
  return id && isStableName(id) ? id : undefined;
}

/**
 * What makes siblings "the same kind": tag and classes, minus states, per-item markers and
 * anything with a digit (`item-1`, `col-md-4`), so alternating or numbered rows stay together.
 */
export function signature(element: Element): string {
  const classes = (element.attribs.class ?? '')
    .split(/\s+/)
    .filter((name) => name && !/\d/.test(name) && !STATE_CLASSES.has(name) && !ITEM_MARKERS.has(name))
    .sort();
  return classes.length === 0 ? element.name : `${element.name}.${classes.join('.')}`;
}

/** `tag.class1.class2` from the given classes. */
export function compound(tag: string, classes: readonly string[]): string {
  return tag + classes.map((name) => `.${name}`).join('');
}

/** The shortest selector naming this element's kind: `tag.classes`, or `tag`. */
export function simpleSelector(element: Element): string {
  return compound(element.name, stableClasses(element));
}

/** Classes every element has (and a selector can use), in the first element's order. */
export function sharedClasses(elements: readonly Element[]): string[] {
  const [first, ...rest] = elements;
  if (!first) return [];
  return stableClasses(first, 8)
    .filter((name) => !ITEM_MARKERS.has(name))
    .filter((name) => rest.every((element) => hasClass(element, name)))
    .slice(0, 3);
}

function hasClass(element: Element, name: string): boolean {
  return (element.attribs.class ?? '').split(/\s+/).includes(name);
}
