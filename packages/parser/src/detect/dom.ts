import type { Element } from 'domhandler';

export function childElements(element: Element): Element[] {
  return element.children.filter((child): child is Element => child.type === 'tag');
}

/** The text directly inside `element`, not in its child elements. */
export function ownText(element: Element): string {
  let text = '';
  for (const child of element.children) if (child.type === 'text') text += child.data;
  return text;
}

/** Whether `inner` is `outer` or lies below it. */
export function contains(outer: Element, inner: Element): boolean {
  for (let node: Element | null = inner; node; node = node.parent as Element | null) {
    if (node === outer) return true;
  }
  return false;
}

/** 1-based position among the parent's children of the same tag, as `:nth-of-type` counts. */
export function positionOfType(element: Element): number {
  const parent = element.parent;
  if (parent?.type !== 'tag') return 1;
  return (
    childElements(parent as Element)
      .filter((sibling) => sibling.name === element.name)
      .indexOf(element) + 1
  );
}
