import type { Document, Element } from 'domhandler';
import { childElements } from './dom.js';
import { signature } from './names.js';
import { isInvisible } from './visible-text.js';

/** A set of same-kind elements that could be a listing's items. */
export interface CandidateGroup {
  members: Element[];
  /**
   * `siblings`: children of one parent. `cousins`: children of same-kind siblings, for lists
   * split into chunks (`div.list > ul > li`, five `li` per `ul`).
   */
  kind: 'siblings' | 'cousins';
  /** The members' parent (siblings), or the parents' parent (cousins). */
  root: Element;
}

/** Elements that never hold an item's link, title and date. */
const LEAF_TAGS = new Set('br hr img input meta link wbr area source col'.split(' '));

/**
 * Every group of ≥ 2 same-kind siblings in the visible page, outer groups first, then the
 * cousin groups built from them. One walk; each element is grouped under its parent once.
 */
export function collectGroups(document: Document): CandidateGroup[] {
  const siblingGroups: CandidateGroup[] = [];
  const childrenBySignature = new Map<Element, Map<string, Element[]>>();
  const stack: Element[] = document.children
    .filter((node): node is Element => node.type === 'tag' && !isInvisible(node))
    .reverse();
  while (stack.length > 0) {
    const element = stack.pop() as Element;
    const children = childElements(element).filter(
      (child) => !isInvisible(child) && !LEAF_TAGS.has(child.name),
    );
    const bySignature = new Map<string, Element[]>();
    for (const child of children) {
      const key = signature(child);
      const same = bySignature.get(key);
      if (same) same.push(child);
      else bySignature.set(key, [child]);
    }
    childrenBySignature.set(element, bySignature);
    for (const members of bySignature.values()) {
      if (members.length >= 2) siblingGroups.push({ members, kind: 'siblings', root: element });
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Element);
  }
  return [...siblingGroups, ...cousinGroups(siblingGroups, childrenBySignature)];
}

function cousinGroups(
  siblingGroups: readonly CandidateGroup[],
  childrenBySignature: ReadonlyMap<Element, ReadonlyMap<string, Element[]>>,
): CandidateGroup[] {
  const groups: CandidateGroup[] = [];
  for (const { members: parents, root } of siblingGroups) {
    const merged = new Map<string, Element[]>();
    for (const parent of parents) {
      for (const [key, children] of childrenBySignature.get(parent) ?? []) {
        const same = merged.get(key);
        if (same) same.push(...children);
        else merged.set(key, [...children]);
      }
    }
    for (const members of merged.values()) {
      const parentCount = new Set(members.map((member) => member.parent)).size;
      // One member per parent is the parents' group again, one level down; one parent is a sibling group.
      if (parentCount >= 2 && members.length > parentCount) groups.push({ members, kind: 'cousins', root });
    }
  }
  return groups;
}
