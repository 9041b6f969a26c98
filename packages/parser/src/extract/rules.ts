import { compile, selectAll } from 'css-select';
import type { AnyNode, Element } from 'domhandler';
import { getAttributeValue, textContent } from 'domutils';
import { ProfileError } from '../errors.js';
import type { FieldRule, FieldRules } from '../profiles/types.js';

export function asList(rules: FieldRules): readonly FieldRule[] {
  return Array.isArray(rules) ? rules : [rules as FieldRule];
}

/** Human-readable form of a rule for error messages: `a[onclick] @onclick ~ /isDownLoad…/`. */
export function describeRules(rules: FieldRules): string {
  return asList(rules)
    .map((rule) => {
      let text = rule.selector;
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

/** Elements below `scope` matching `selector`, in document order. */
export function selectIn(scope: AnyNode | AnyNode[], selector: string): Element[] {
  return selectAll<AnyNode, Element>(query(selector), scope);
}

/**
 * The first non-empty value the rules read below `scope`: for each rule, each element it selects
 * in order, its attribute or text, through its pattern.
 */
export function readField(scope: AnyNode | AnyNode[], rules: FieldRules): string | undefined {
  for (const rule of asList(rules)) {
    for (const element of selectIn(scope, rule.selector)) {
      const raw = rule.attribute ? getAttributeValue(element, rule.attribute) : textContent(element);
      const value = applyPattern(raw, rule.pattern);
      if (value) return value;
    }
  }
  return undefined;
}

export function applyPattern(raw: string | undefined, pattern: RegExp | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!pattern) return raw.trim() || undefined;
  const match = pattern.exec(raw);
  return (match?.[1] ?? match?.[0])?.trim() || undefined;
}
