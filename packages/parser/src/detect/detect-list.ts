import type { Document, Element } from 'domhandler';
import { LayoutError } from '../errors.js';
import type { ListRules } from '../profiles/types.js';
import { scriptBuiltError } from './app-shell.js';
import { type CandidateGroup, collectGroups } from './candidates.js';
import { chooseFields } from './fields.js';
import { itemSelector } from './item-selector.js';
import { analyzeMember, type MemberFacts } from './members.js';
import { signature, simpleSelector } from './names.js';
import { type GroupScore, scoreGroup } from './score.js';
import type { DetectedCandidate, DetectOptions, ListDetection } from './types.js';
import { verifyList } from './verify.js';
import { VisibleText } from './visible-text.js';

const MAX_CANDIDATES = 5;
/** Groups tried for rules before giving up: the rest score too low to matter. */
const MAX_ATTEMPTS = 12;
/** Items rules are chosen on; the chosen rules are then checked on every item. */
const SAMPLE_SIZE = 60;

interface ScoredGroup extends GroupScore {
  group: CandidateGroup;
}

/**
 * Finds the repeated block holding a listing's articles (link + title + date) on an unknown
 * page and writes list rules that read it, checked against the page itself.
 *
 * @throws LayoutError code 'no-list' (profile: 'auto', rule: 'detect') when no block has ≥ 2
 *   items each with a link, a title and a date; code 'script-built' when the page's scripts build
 *   the list (an empty mount point or a `<noscript>` asking for JavaScript, and scripts).
 */
export function detectList(document: Document, url: string, options: DetectOptions = {}): ListDetection {
  const texts = new VisibleText();
  const facts = new Map<Element, MemberFacts>();
  const analyze = (element: Element): MemberFacts => {
    let found = facts.get(element);
    if (!found) {
      found = analyzeMember(element, texts, url, options);
      facts.set(element, found);
    }
    return found;
  };
  const scored: ScoredGroup[] = collectGroups(document).map((group) => ({
    group,
    ...scoreGroup(group.members.map(analyze)),
  }));
  const ranked = scored.filter((candidate) => candidate.score > 0).sort((a, b) => b.score - a.score);

  const built: DetectedCandidate[] = [];
  for (const candidate of ranked.slice(0, MAX_ATTEMPTS)) {
    const result = buildCandidate(document, candidate, url, options);
    if (!result || built.some((other) => other.item === result.item)) continue;
    built.push(result);
    if (built.length === MAX_CANDIDATES) break;
  }
  const [best] = built;
  if (!best) throw scriptBuiltError(document, url) ?? noListError(url, options, scored);
  return {
    list: best.list,
    count: best.count,
    score: best.score,
    candidates: built,
  };
}

/**
 * How sure rules must be of the items. `strict`: they read every member analysis found whole.
 * `lenient`: they read most members, as the parser takes a page; a few broken items (an empty
 * title, a stub link) are then left out and reported by the parser.
 */
type Strictness = 'strict' | 'lenient';

function buildCandidate(
  document: Document,
  candidate: ScoredGroup,
  url: string,
  options: DetectOptions,
): DetectedCandidate | undefined {
  const { complete } = candidate;
  const sample = spread(complete, SAMPLE_SIZE);
  const built =
    rulesFor(document, candidate, sample, url, options, 'strict') ??
    // Rules chosen on a sample may trip on an item outside it: choose again on all of them.
    (sample.length < complete.length
      ? rulesFor(document, candidate, complete, url, options, 'strict')
      : undefined) ??
    rulesFor(document, candidate, sample, url, options, 'lenient');
  if (!built) return undefined;
  const { list, count } = built;
  return { list, item: list.item, count, score: candidate.score, signals: candidate.signals };
}

function rulesFor(
  document: Document,
  candidate: ScoredGroup,
  members: readonly MemberFacts[],
  url: string,
  options: DetectOptions,
  strictness: Strictness,
): { list: ListRules; count: number } | undefined {
  const fields = chooseFields(members, url, options, strictness === 'lenient');
  if (!fields) return undefined;
  const filters = [fields.link.selector, fields.date.selector].filter(
    (selector): selector is string => selector !== undefined,
  );
  const items = candidate.complete.map((member) => member.element);
  const item = itemSelector(document, candidate.group, items, filters);
  if (!item) return undefined;
  const list: ListRules = { item, ...fields };
  const mustRead = strictness === 'strict' ? new Set(items) : new Set<Element>();
  const selected = verifyList(document, list, url, options, mustRead);
  return selected ? { list, count: selected.length } : undefined;
}

/** At most `size` members spread over the whole list, first and last included. */
function spread<T>(values: readonly T[], size: number): T[] {
  if (values.length <= size) return [...values];
  const step = (values.length - 1) / (size - 1);
  return Array.from({ length: size }, (_, index) => values[Math.round(index * step)] as T);
}

function noListError(url: string, options: DetectOptions, scored: readonly ScoredGroup[]): LayoutError {
  const looked =
    'a block of at least 2 repeated elements (li, tr, dl, div…) each holding a link' +
    (options.linkPattern ? ` matching ${options.linkPattern}` : '') +
    ', a title and a date (2024-12-04, 2024年12月4日, 12-04…)';
  return new LayoutError(
    'no-list',
    `Found no list of articles on ${url}: looked for ${looked}.${nearestMiss(scored)} ` +
      'This may not be a listing page, or its links hide in scripts; write the profile by hand.',
    { profile: 'auto', rule: 'detect', url },
  );
}

/** The repeated block with the most links, and what it lacked. */
function nearestMiss(scored: readonly ScoredGroup[]): string {
  let nearest: ScoredGroup | undefined;
  for (const candidate of scored) {
    const linked = candidate.signals.withLink * candidate.group.members.length;
    if (linked >= 2 && (!nearest || linked > nearest.signals.withLink * nearest.group.members.length)) {
      nearest = candidate;
    }
  }
  if (!nearest) return ' No repeated block on the page holds links.';
  const { group, signals } = nearest;
  const name = `${simpleSelector(group.root)} > ${signature(group.members[0] as Element)}`;
  const percent = (share: number) => `${Math.round(share * 100)}%`;
  return (
    ` The closest, "${name}" (${group.members.length} elements), has links in ${percent(signals.withLink)} ` +
    `and dates in ${percent(signals.withDate)} of them.`
  );
}
