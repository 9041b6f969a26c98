import { isComplete, type MemberFacts } from './members.js';
import type { CandidateSignals } from './types.js';

export interface GroupScore {
  score: number;
  signals: CandidateSignals;
  /** The members holding a link, a title and a date: the items, if this group wins. */
  complete: MemberFacts[];
}

/**
 * How much a group looks like a news list: complete items (link + title + date) counted, scaled
 * by the share of members that are complete, by how title-like the titles are, and down when
 * each member holds several articles (a container of lists, not an item).
 */
export function scoreGroup(members: readonly MemberFacts[]): GroupScore {
  const complete = members.filter(isComplete);
  const total = Math.max(members.length, 1);
  const signals: CandidateSignals = {
    repetition: complete.length,
    withLink: round(members.filter((member) => member.link).length / total),
    withDate: round(members.filter((member) => member.dateHolder).length / total),
    titleLength: median(complete.map((member) => member.title.length)),
    linkDensity: round(
      median(complete.map((member) => member.linkTextLength / Math.max(member.textLength, 1))),
    ),
  };
  if (complete.length < 2) return { score: 0, signals, complete };
  const completeness = complete.length / total;
  const linksPerMember = median(complete.map((member) => member.articleLinks));
  const score =
    complete.length * completeness * titleFactor(signals.titleLength) * containerFactor(linksPerMember);
  return { score: round(score), signals, complete };
}

/** News titles run 6–60 characters; menu entries 2–5. */
function titleFactor(length: number): number {
  if (length < 4) return 0.1;
  if (length < 6) return 0.4;
  if (length <= 60) return 1;
  if (length <= 100) return 0.6;
  return 0.3;
}

/** An item links one article, maybe twice (picture and title) or with its category: more is a container. */
function containerFactor(linksPerMember: number): number {
  return linksPerMember <= 2 ? 1 : (2 / linksPerMember) ** 2;
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
