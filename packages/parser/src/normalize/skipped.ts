import type { ItemField, SkippedItem, SkipReason } from '../types.js';

/** How long a skipped item's `value` may be: enough to recognise it, not a whole item's text. */
const SKIPPED_VALUE_LENGTH = 200;

/** Where an unusable item sits, for the sentence that reports it. */
export interface ItemPlace {
  /** 0-based among the page's items. */
  index: number;
  /** How many items the page has. */
  count: number;
  pageUrl: string;
}

/** A listing item that cannot become an article: its public record and the sentence errors quote. */
export interface ItemFailure {
  skipped: SkippedItem;
  /** E.g. `article 5 of 15 on https://… has no date (looked for .list-date)`. */
  detail: string;
}

/**
 * Whether a page with this many unusable items is an error: none usable leaves nothing to show,
 * and more than half unusable is a redesign, not a glitch in a few items.
 */
export function isMostlyUnusable(unusable: number, total: number): boolean {
  return unusable === total || unusable * 2 > total;
}

/** The field `reason` is about. */
export function fieldOf(reason: SkipReason): ItemField {
  if (reason === 'empty-title') return 'title';
  return reason.endsWith('-link') ? 'link' : 'date';
}

/** What the sentence about an unusable item can say besides its place. */
export interface FailureDetails {
  /** The item's title, once known. */
  title?: string;
  /** The rules that read the field (HTML listings): `.list-date`. */
  looked?: string | undefined;
  /** The rules read nothing: `found` is what they point at, which their pattern does not fit. */
  unread?: boolean;
  /** Why the value is no date: the DateError's message. */
  why?: string;
}

/** An item whose field is unusable; `found` is what it holds where the field should be. */
export function itemFailure(
  reason: SkipReason,
  found: string,
  place: ItemPlace,
  details: FailureDetails = {},
): ItemFailure {
  const value = cutValue(found);
  return {
    skipped: { index: place.index, field: fieldOf(reason), reason, value },
    detail: failureDetail(reason, value, place, details),
  };
}

/** At most 200 characters (code points, so no emoji or rare CJK character is split). */
export function cutValue(value: string): string {
  // 400 code units always hold 200 code points or the whole string.
  const characters = Array.from(value.slice(0, SKIPPED_VALUE_LENGTH * 2));
  return characters.length > SKIPPED_VALUE_LENGTH
    ? characters.slice(0, SKIPPED_VALUE_LENGTH).join('')
    : characters.join('');
}

/**
 * What was wrong with a skipped item, after "item 12 skipped: ", e.g.
 * `link "javascript:alert('u1')" is not a web address`.
 */
export function describeSkippedItem(item: SkippedItem): string {
  const value = JSON.stringify(item.value);
  switch (item.reason) {
    case 'no-link':
      return 'it has no link';
    case 'bad-link':
      return `link ${value} is not a web address`;
    case 'empty-title':
      return 'its title is empty';
    case 'no-date':
      return 'it has no date';
    case 'bad-date':
      return `date ${value} is not a date`;
  }
}

function failureDetail(reason: SkipReason, value: string, place: ItemPlace, details: FailureDetails): string {
  const article = `article ${formatCount(place.index + 1)} of ${formatCount(place.count)}`;
  const lookedFor = details.looked === undefined ? '' : ` (looked for ${details.looked})`;
  const found =
    details.unread && details.looked !== undefined
      ? `looked for ${details.looked}, found "${value}"`
      : `"${value}"`;
  const named = details.title === undefined ? article : `"${details.title}" (${article})`;
  switch (reason) {
    case 'no-link':
      return `${article} on ${place.pageUrl} has no link${lookedFor}`;
    case 'bad-link':
      return `the link of ${named} on ${place.pageUrl} is not a web address (${found})`;
    case 'empty-title':
      return `${article} on ${place.pageUrl} has an empty title${lookedFor}`;
    case 'no-date':
      return `${article} on ${place.pageUrl} has no date${lookedFor}`;
    case 'bad-date':
      return `${named} on ${place.pageUrl} has no valid date: ${details.why ?? found}`;
  }
}

const COUNT_FORMAT = new Intl.NumberFormat('en-US');

/** 1234 → `1,234`: item counts run into the thousands. */
export function formatCount(count: number): string {
  return COUNT_FORMAT.format(count);
}
