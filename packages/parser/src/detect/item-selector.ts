import type { Document, Element } from 'domhandler';
import { selectIn } from '../extract/rules.js';
import { isMostlyUnusable } from '../normalize/skipped.js';
import type { CandidateGroup } from './candidates.js';
import { contains, positionOfType } from './dom.js';
import { compound, sharedClasses, simpleSelector, stableId } from './names.js';

type Select = (selector: string) => Element[];

/** One element on the way from the page down to the items, as written in the selector. */
interface Step {
  element: Element;
  text: string;
}

/**
 * A selector for exactly the group's `items`, or undefined: `parent > member`, the parent
 * named by id or classes (`#news > li`, `ul.list > li`), ancestors prefixed while that narrows
 * the match, `:has(field)` to drop same-kind members that are not items (a table's header
 * row). Only when names cannot tell two same-kind blocks apart does a block's position come
 * in (`div.box:nth-of-type(2) ul > li`). Only when no selector picks exactly the items does one
 * that also picks a minority of the group's other members do: items whose link or date a CMS
 * broke, which the parser leaves out and reports.
 */
export function itemSelector(
  document: Document,
  group: CandidateGroup,
  items: readonly Element[],
  fieldSelectors: readonly string[],
): string | undefined {
  const wanted = new Set(items);
  // Each try walks the whole page: never the same selector twice.
  const tried = new Map<string, Element[]>();
  const select: Select = (selector) => {
    let selected = tried.get(selector);
    if (!selected) {
      selected = selectIn(document, selector);
      tried.set(selector, selected);
    }
    return selected;
  };
  const exactly = (selector: string): boolean => {
    const selected = select(selector);
    return selected.length === wanted.size && selected.every((element) => wanted.has(element));
  };
  // The group's other members: same kind as the items, but analysis found no link, title or date.
  const others = new Set(group.members.filter((member) => !wanted.has(member)));
  const withFewOthers = (selector: string): boolean => {
    const selected = select(selector);
    const extra = selected.filter((element) => !wanted.has(element));
    return (
      selected.length - extra.length === wanted.size &&
      extra.every((element) => others.has(element)) &&
      !isMostlyUnusable(extra.length, selected.length)
    );
  };
  const tail = [...parentStep(group), compound((items[0] as Element).name, sharedClasses(items))];
  const root: Step = { element: group.root, text: nameOf(group.root) ?? group.root.name };
  const named = narrowByAncestors(select, [root], tail, wanted.size);

  const attempts = [named, ...positionalVariants(named, group.root)];
  for (const fits of [exactly, withFewOthers]) {
    for (const steps of attempts) {
      const selector = render(steps, tail);
      if (fits(selector)) return selector;
      const filtered = fieldSelectors.map((field) => `${selector}:has(${field})`).find(fits);
      if (filtered) return filtered;
    }
  }
  return undefined;
}

/** `outer inner > tail`: ancestors by descendant combinators, the root and below by child ones. */
function render(steps: readonly Step[], tail: readonly string[]): string {
  const ancestors = steps.slice(0, -1).map((step) => step.text);
  const root = (steps[steps.length - 1] as Step).text;
  return [...ancestors, [root, ...tail].join(' > ')].join(' ');
}

/**
 * Prefixes named ancestors of the root while each narrows the match, up to an id; a root with
 * no name of its own (`ul > li`) gets its nearest named ancestor either way, so the selector
 * stays tied to this block on the section's other pages.
 */
function narrowByAncestors(select: Select, steps: Step[], tail: readonly string[], wanted: number): Step[] {
  let current = steps;
  let count = select(render(current, tail)).length;
  const root = (steps[0] as Step).element;
  let anchorless = nameOf(root) === undefined;
  for (let ancestor = root.parent; ancestor && (count > wanted || anchorless); ancestor = ancestor.parent) {
    if (ancestor.type !== 'tag' || ancestor.name === 'html' || ancestor.name === 'body') break;
    const name = nameOf(ancestor);
    if (!name) continue;
    const narrower = [{ element: ancestor, text: name }, ...current];
    const narrowed = select(render(narrower, tail)).length;
    if (narrowed < count || anchorless) {
      current = narrower;
      count = narrowed;
      anchorless = false;
    }
    if (stableId(ancestor)) break;
  }
  return current;
}

/**
 * The named steps with one element pinned by position, innermost first: the root, then each
 * ancestor up to the body (inserted when it was not named).
 */
function positionalVariants(named: readonly Step[], root: Element): Step[][] {
  const variants: Step[][] = [];
  for (let element: Element | null = root; element; element = element.parent as Element | null) {
    if (element.type !== 'tag' || element.name === 'html' || element.name === 'body') break;
    const pinned: Step = {
      element,
      text: `${nameOf(element) ?? element.name}:nth-of-type(${positionOfType(element)})`,
    };
    const index = named.findIndex((step) => step.element === element);
    if (index >= 0) {
      variants.push(named.map((step, i) => (i === index ? pinned : step)));
    } else {
      // Not named: insert it above the steps it contains.
      const below = named.findIndex((step) => contains(element as Element, step.element));
      variants.push([...named.slice(0, below), pinned, ...named.slice(below)]);
    }
  }
  return variants;
}

/** For cousins, the step from the root to the members' parents: `ul` in `div.list > ul > li`. */
function parentStep(group: CandidateGroup): string[] {
  if (group.kind === 'siblings') return [];
  const parents = [...new Set(group.members.map((member) => member.parent as Element))];
  return [compound((parents[0] as Element).name, sharedClasses(parents))];
}

/** `#id` when the element has a stable one, else `tag.classes`; nothing for a bare tag. */
function nameOf(element: Element): string | undefined {
  const id = stableId(element);
  if (id) return `#${id}`;
  const simple = simpleSelector(element);
  return simple === element.name ? undefined : simple;
}
