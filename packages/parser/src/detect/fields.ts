import type { Element } from 'domhandler';
import { textContent } from 'domutils';
import { readField, selectFirst } from '../extract/rules.js';
import { isMostlyUnusable } from '../normalize/skipped.js';
import { resolveLink } from '../normalize/url.js';
import type { FieldRule } from '../profiles/types.js';
import { childElements } from './dom.js';
import { fieldSelectors, withAttribute } from './field-selectors.js';
import { hasDate, sameDate } from './has-date.js';
import { matchesLinkPattern, URL_IN_QUOTES } from './links.js';
import type { MemberFacts } from './members.js';
import type { DetectOptions } from './types.js';
import { isHidden, normalizeSpace } from './visible-text.js';

export interface FieldChoice {
  title: FieldRule;
  link: FieldRule;
  date: FieldRule;
  content?: string;
}

/** How a rule's value for one item compares with what the member analysis found. */
type Verdict = 'exact' | 'usable' | 'fail';
type Check = (value: string | undefined, member: MemberFacts) => Verdict;

/**
 * Rules for title, link and date that read every given item, preferring ones that read what
 * the analysis found; the hidden full-text selector when most items carry one. `lenient`: when
 * no rule reads every item, one that reads the most will do, as long as the parser would take
 * the page (its other items are left out and reported).
 */
export function chooseFields(
  members: readonly MemberFacts[],
  pageUrl: string,
  options: DetectOptions,
  lenient = false,
): FieldChoice | undefined {
  const tooMany = lenient
    ? (failed: number) => isMostlyUnusable(failed, members.length)
    : (failed: number) => failed > 0;
  const title = chooseRule(members, titleRules(members), checkTitle, tooMany);
  const link = chooseRule(members, linkRules(members, options), linkCheck(pageUrl, options), tooMany);
  const date = chooseRule(members, dateRules(members), checkDate, tooMany);
  if (!title || !link || !date) return undefined;
  const content = chooseContent(members);
  return content ? { title, link, date, content } : { title, link, date };
}

/**
 * The rule failing on the fewest items (not `tooMany`), then reading the most exactly as
 * analysed; among equals, the first.
 */
function chooseRule(
  members: readonly MemberFacts[],
  rules: readonly FieldRule[],
  check: Check,
  tooMany: (failed: number) => boolean,
): FieldRule | undefined {
  let best: FieldRule | undefined;
  let bestFailed = Number.POSITIVE_INFINITY;
  let bestExact = -1;
  for (const rule of rules) {
    let exact = 0;
    let failed = 0;
    for (const member of members) {
      const verdict = check(readField(member.element, rule), member);
      if (verdict === 'fail' && tooMany(++failed)) break;
      if (verdict === 'exact') exact++;
    }
    if (tooMany(failed) || failed > bestFailed || (failed === bestFailed && exact <= bestExact)) continue;
    best = rule;
    bestFailed = failed;
    bestExact = exact;
    if (exact === members.length) break;
  }
  return best;
}

/** Selectors for the same field taken from a few members, in case their markup varies. */
function selectorsFrom(
  members: readonly MemberFacts[],
  target: (member: MemberFacts) => Element | undefined,
): (string | undefined)[] {
  const picks = [members[0], members[members.length >> 1], members[members.length - 1]];
  const selectors = new Set<string | undefined>();
  for (const member of picks) {
    const element = member && target(member);
    if (member && element)
      for (const selector of fieldSelectors(element, member.element)) selectors.add(selector);
  }
  return [...selectors];
}

function rule(selector: string | undefined, attribute?: string, pattern?: RegExp): FieldRule {
  return {
    ...(selector === undefined ? {} : { selector }),
    ...(attribute ? { attribute } : {}),
    ...(pattern ? { pattern } : {}),
  };
}

function titleRules(members: readonly MemberFacts[]): FieldRule[] {
  const selectors = selectorsFrom(members, (member) => member.titleElement);
  const fromAttribute = members.filter((member) => member.titleFromAttribute).length * 2 > members.length;
  const asText = selectors.map((selector) => rule(selector));
  const asAttribute = selectors.map((selector) => rule(withAttribute(selector, 'title'), 'title'));
  return fromAttribute ? [...asAttribute, ...asText] : [...asText, ...asAttribute];
}

const checkTitle: Check = (value, member) => {
  const title = value === undefined ? '' : normalizeSpace(value);
  if (title === '') return 'fail';
  return title === member.title ? 'exact' : 'usable';
};

function linkRules(members: readonly MemberFacts[], options: DetectOptions): FieldRule[] {
  const fromOnclick =
    members.filter((member) => member.link?.source === 'onclick').length * 2 > members.length;
  const selectors = selectorsFrom(members, (member) => member.link?.element);
  const call = fromOnclick ? sharedCallPattern(members) : undefined;
  const rules = fromOnclick
    ? [...(call ? [call] : []), URL_IN_QUOTES].flatMap((pattern) =>
        selectors.map((selector) => rule(withAttribute(selector, 'onclick'), 'onclick', pattern)),
      )
    : [
        ...selectors.map((selector) => rule(selector, 'href')),
        ...selectors.map((selector) => rule(withAttribute(selector, 'href'), 'href')),
      ];
  // Several links per item and only some are articles: let the pattern skip the others.
  if (options.linkPattern && !fromOnclick)
    rules.push(rule('a[href]', 'href', wholeValueMatching(options.linkPattern)));
  return rules;
}

const CALLED_FUNCTION = /^\s*(?:return\s+)?([\w$.]+)\s*\(/;

/**
 * When every item's handler calls the same function (`isDownLoad(this,'./…')`), a pattern naming
 * it: what a person would write, and it reads only that call's first quoted argument.
 */
function sharedCallPattern(members: readonly MemberFacts[]): RegExp | undefined {
  const names = new Set(
    members.map((member) => CALLED_FUNCTION.exec(member.link?.element.attribs.onclick ?? '')?.[1]),
  );
  const [name] = names;
  if (names.size !== 1 || name === undefined) return undefined;
  return new RegExp(`${name.replace(/[$.]/g, '\\$&')}\\([^'"]*['"]([^'"]+)['"]`);
}

/** A pattern whose first group is the whole value, when the value matches `pattern` anywhere. */
function wholeValueMatching(pattern: RegExp): RegExp {
  return new RegExp(`^(?=[\\s\\S]*?(?:${pattern.source}))([\\s\\S]*)$`, pattern.flags.replace(/[gy]/g, ''));
}

function linkCheck(pageUrl: string, options: DetectOptions): Check {
  return (value, member) => {
    const url = value === undefined ? undefined : resolveLink(value, pageUrl);
    if (!url || !matchesLinkPattern(value as string, url, options)) return 'fail';
    return url === member.link?.url ? 'exact' : 'usable';
  };
}

function dateRules(members: readonly MemberFacts[]): FieldRule[] {
  const selectors = selectorsFrom(members, (member) => member.dateHolder);
  // The item's own text holds the date too; the last resort when no element holds it alone.
  if (!selectors.includes(undefined)) selectors.push(undefined);
  return selectors.map((selector) => rule(selector));
}

const checkDate: Check = (value, member) => {
  if (value === undefined || !hasDate(value)) return 'fail';
  return sameDate(value, member.dateText) ? 'exact' : 'usable';
};

/** TRS-style items carry their full text in a hidden block; anything shorter is a tooltip. */
const MIN_CONTENT_LENGTH = 20;

function chooseContent(members: readonly MemberFacts[]): string | undefined {
  const blocks = new Map<MemberFacts, Element>();
  for (const member of members) {
    const block = hiddenTextBlock(member.element);
    if (block) blocks.set(member, block);
  }
  if (blocks.size * 2 <= members.length) return undefined;
  const selectors = selectorsFrom([...blocks.keys()], (member) => blocks.get(member));
  return selectors.find(
    (selector): selector is string =>
      selector !== undefined &&
      [...blocks].every(([member, block]) => selectFirst(member.element, selector) === block),
  );
}

/** The first hidden block below the item with text enough to be an article. */
function hiddenTextBlock(item: Element): Element | undefined {
  const stack: Element[] = childElements(item).reverse();
  while (stack.length > 0) {
    const element = stack.pop() as Element;
    if (isHidden(element)) {
      if (normalizeSpace(textContent(element)).length >= MIN_CONTENT_LENGTH) return element;
      continue;
    }
    stack.push(...childElements(element).reverse());
  }
  return undefined;
}
