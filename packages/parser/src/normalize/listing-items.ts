import { LayoutError } from '../errors.js';
import type { RawItem } from '../extract/raw.js';
import { describeRules } from '../extract/rules.js';
import type { Article, SkippedItem, SkipReason } from '../types.js';
import { type NormalizeContext, normalizeListingItem } from './article.js';
import { fieldOf, formatCount, type ItemFailure, isMostlyUnusable } from './skipped.js';

export interface ListingItems {
  articles: Article[];
  skipped: SkippedItem[];
}

/**
 * A page's items → its articles, and the items left out because their link, title or date is
 * unusable.
 *
 * @throws {LayoutError} when no item is usable or more than half are not; coded by the most
 *   common reason, its message quoting the first failure
 */
export function normalizeListingItems(items: readonly RawItem[], context: NormalizeContext): ListingItems {
  const articles: Article[] = [];
  const failures: ItemFailure[] = [];
  items.forEach((item, index) => {
    const place = { index, count: items.length, pageUrl: context.pageUrl };
    const result = normalizeListingItem(item, place, context);
    if ('article' in result) articles.push(result.article);
    else failures.push(result.failure);
  });
  if (isMostlyUnusable(failures.length, items.length)) {
    throw unusablePageError(failures, items.length, context);
  }
  return { articles, skipped: failures.map((failure) => failure.skipped) };
}

// The codes these failures had when one of them failed the page, kept for callers matching them.
const LAYOUT_CODES: Record<SkipReason, string> = {
  'no-link': 'missing-field',
  'bad-link': 'bad-link',
  'empty-title': 'missing-field',
  'no-date': 'missing-field',
  'bad-date': 'bad-date',
};

const REASON_TEXT: Record<SkipReason, string> = {
  'no-link': 'no link',
  'bad-link': 'a link that is not a web address',
  'empty-title': 'an empty title',
  'no-date': 'no date',
  'bad-date': 'an unreadable date',
};

function unusablePageError(
  failures: readonly ItemFailure[],
  total: number,
  context: NormalizeContext,
): LayoutError {
  const counts = countByReason(failures);
  // Most common first; among equals, the one met first.
  const [dominant] = [...counts.keys()].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0));
  const reason = dominant as SkipReason;
  const breakdown = [...counts]
    .map(([counted, count]) => `${formatCount(count)} with ${REASON_TEXT[counted]}`)
    .join(', ');
  const verdict =
    failures.length === total
      ? 'not one is usable'
      : 'more than half, which is a redesign rather than a glitch in a few items';
  const field = fieldOf(reason);
  const rules = context.list?.[field];
  const json = context.jsonList?.[field];
  return new LayoutError(
    LAYOUT_CODES[reason],
    `Profile "${context.profile.id}": ${formatCount(failures.length)} of ${formatCount(total)} items on ` +
      `${context.pageUrl} are unusable (${breakdown}): ${verdict}. ` +
      `The first: ${(failures[0] as ItemFailure).detail}.`,
    {
      profile: context.profile.id,
      rule:
        rules !== undefined
          ? `list.${field}: ${describeRules(rules)}`
          : json !== undefined
            ? `list.json.${field}: ${json}`
            : field,
      url: context.pageUrl,
    },
  );
}

/** How many failures each reason has, in the order the reasons first appear. */
function countByReason(failures: readonly ItemFailure[]): Map<SkipReason, number> {
  const counts = new Map<SkipReason, number>();
  for (const { skipped } of failures) counts.set(skipped.reason, (counts.get(skipped.reason) ?? 0) + 1);
  return counts;
}
