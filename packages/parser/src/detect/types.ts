import type { ListRules } from '../profiles/types.js';

export interface DetectOptions {
  /** Only links matching this count as article links (a CMS family's permalink shape, e.g. /t\d{8}_\d+\.s?html?/). */
  linkPattern?: RegExp;
}

/** What a candidate block was scored on, to explain why it won or lost. */
export interface CandidateSignals {
  /** Members holding a link, a title and a date. */
  repetition: number;
  /** Share of the block's members holding an article link. */
  withLink: number;
  /** Share of the block's members whose visible text holds a date. */
  withDate: number;
  /** Median title length (characters) of the complete members. */
  titleLength: number;
  /** Median share of a complete member's visible text that is link text. */
  linkDensity: number;
}

export interface DetectedCandidate {
  /** The item selector. */
  item: string;
  /** The rules that read this block (its `item`, title, link, date), checked on the page like the chosen one's. */
  list: ListRules;
  /** Items it selects. */
  count: number;
  score: number;
  signals: CandidateSignals;
}

export interface ListDetection {
  /** item, title, link, date (+ content when items carry a hidden full text block). */
  list: ListRules;
  count: number;
  score: number;
  /** Best first, the chosen one first, at most 5. */
  candidates: DetectedCandidate[];
}
