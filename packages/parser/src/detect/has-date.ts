import { containsDate, parseDate } from '../normalize/dates.js';

// Every form dates.ts reads has a digit or one of 刚刚/今天/昨天/前天: most menu entries are
// ruled out by this one test before the date patterns run.
const MAY_HOLD_DATE = /[\d刚今昨前]/;

/** Whether `text` holds a date in a form the parser reads (so the rules built on it will work). */
export function hasDate(text: string): boolean {
  return MAY_HOLD_DATE.test(text) && containsDate(text);
}

/** Whether a rule's value names the date the analysis found: the same day when that parses, else it holds it. */
export function sameDate(read: string, expected: string): boolean {
  const wanted = MAY_HOLD_DATE.test(expected) ? parseDate(expected, 'UTC') : null;
  if (wanted) return parseDate(read, 'UTC')?.iso === wanted.iso;
  const text = expected.trim();
  return text !== '' && read.includes(text);
}
