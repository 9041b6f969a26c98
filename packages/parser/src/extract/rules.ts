import { compile } from 'css-select';
import { type AnyNode, type Element, isTag } from 'domhandler';
import { findAll, findOne, getAttributeValue, textContent } from 'domutils';
import { ProfileError } from '../errors.js';
import type { FieldRule, FieldRules } from '../profiles/types.js';

export function asList(rules: FieldRules): readonly FieldRule[] {
  return Array.isArray(rules) ? rules : [rules as FieldRule];
}

/** Human-readable form of a rule for error messages: `a[onclick] @onclick ~ /isDownLoad…/`. */
export function describeRules(rules: FieldRules): string {
  return asList(rules)
    .map((rule) => {
      let text = rule.selector ?? ':scope';
      if (rule.attribute) text += ` @${rule.attribute}`;
      if (rule.pattern) text += ` ~ ${rule.pattern}`;
      return text;
    })
    .join(' | ');
}

type Query = (element: Element) => boolean;

// Profiles apply the same few selectors to thousands of items: compile each once.
const compiled = new Map<string, Query>();

function query(selector: string): Query {
  let found = compiled.get(selector);
  if (!found) {
    try {
      found = compile<AnyNode, Element>(selector) as Query;
    } catch (error) {
      throw new ProfileError(
        'bad-selector',
        `The selector "${selector}" is not valid CSS: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    compiled.set(selector, found);
  }
  return found;
}

/**
 * Where to look: below one node (its descendants, as CSS `scope.querySelectorAll` does), or in a
 * list of nodes and their descendants.
 */
export type Scope = AnyNode | readonly AnyNode[];

/** Elements in `scope` matching `selector`, in document order. */
export function selectIn(scope: Scope, selector: string): Element[] {
  return findAll(query(selector), rootsOf(scope));
}

/** The first element in `scope` matching `selector`. */
export function selectFirst(scope: Scope, selector: string): Element | null {
  return findOne(query(selector), rootsOf(scope), true);
}

// css-select's selectAll re-prepares its context on every call; with thousands of items a plain
// walk with the compiled test is a third of the parse.
function rootsOf(scope: Scope): AnyNode[] {
  if (Array.isArray(scope)) return scope as AnyNode[];
  const node = scope as AnyNode;
  return 'children' in node ? node.children : [];
}

/**
 * The first non-empty value the rules read below `scope`: for each rule, each element it selects
 * in order, its attribute or text, through its pattern.
 */
export function readField(scope: Scope, rules: FieldRules): string | undefined {
  for (const rule of asList(rules)) {
    if (rule.selector === undefined) {
      const self = selfElement(scope);
      const value = self && readValue(self, rule);
      if (value) return value;
      continue;
    }
    // The first match nearly always holds the value: find it without collecting the rest.
    const first = selectFirst(scope, rule.selector);
    if (!first) continue;
    const firstValue = readValue(first, rule);
    if (firstValue) return firstValue;
    for (const element of selectIn(scope, rule.selector)) {
      const value = readValue(element, rule);
      if (value) return value;
    }
  }
  return undefined;
}

/**
 * What the rules point at when they read nothing: the attribute or text of the first element a
 * rule selects, before its pattern (`javascript:alert(1)` where `isDownLoad(…)` was expected).
 * `''` when no rule selects anything that holds a value.
 */
export function rawValueOf(scope: Scope, rules: FieldRules): string {
  for (const rule of asList(rules)) {
    const element = rule.selector === undefined ? selfElement(scope) : selectFirst(scope, rule.selector);
    const raw =
      element && (rule.attribute ? getAttributeValue(element, rule.attribute) : textContent(element));
    if (raw?.trim()) return raw.trim();
  }
  return '';
}

function selfElement(scope: Scope): Element | undefined {
  return !Array.isArray(scope) && isTag(scope as AnyNode) ? (scope as Element) : undefined;
}

function readValue(element: Element, rule: FieldRule): string | undefined {
  return applyPattern(
    rule.attribute ? getAttributeValue(element, rule.attribute) : textContent(element),
    rule.pattern,
  );
}

export function applyPattern(raw: string | undefined, pattern: RegExp | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!pattern) return raw.trim() || undefined;
  const match = pattern.exec(raw);
  return (match?.[1] ?? match?.[0])?.trim() || undefined;
}
