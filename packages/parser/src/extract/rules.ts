import type { Cheerio, CheerioAPI } from 'cheerio';
import type { AnyNode } from 'domhandler';
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

/**
 * The first non-empty value the rules read inside `scope` (the whole document when omitted): for
 * each rule, each element it selects in order, its attribute or text, through its pattern.
 */
export function readField($: CheerioAPI, rules: FieldRules, scope?: Cheerio<AnyNode>): string | undefined {
  for (const rule of asList(rules)) {
    const elements = scope ? scope.find(rule.selector) : $(rule.selector);
    for (const element of elements) {
      const raw = rule.attribute ? $(element).attr(rule.attribute) : $(element).text();
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
