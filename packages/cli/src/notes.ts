import {
  describeRules,
  describeSkippedItem,
  type ListDetection,
  type ProfileChoice,
  type SkippedItem,
} from '@tidings/parser';
import type { Io } from './io.js';

/**
 * One line on stderr per item the parser left out, numbered from 1 as a reader counts:
 * `tidings: note: item 1,234 skipped: link "javascript:alert('u1')" is not a web address`.
 */
export function noteSkipped(skipped: readonly SkippedItem[], io: Io): void {
  if (skipped.length === 0) return;
  const lines = skipped.map(
    (item) =>
      `tidings: note: item ${(item.index + 1).toLocaleString('en-US')} skipped: ${describeSkippedItem(item)}\n`,
  );
  io.stderr(lines.join(''));
}

/**
 * What read a listing page, when the reader should know: detection standing in for a profile
 * (with the rules it wrote, so they can be kept), or detection asked for.
 */
export function noteListingRules(
  url: string,
  chosenBy: ProfileChoice | undefined,
  detection: ListDetection | undefined,
  io: Io,
): void {
  if (chosenBy === 'fallback') {
    io.stderr(
      detection
        ? `tidings: note: no profile knows ${url}, so detection found the list: ${describeList(detection)}\n`
        : `tidings: note: no profile knows ${url}, so the generic rules read its text: a title line, then a line with only its date\n`,
    );
    return;
  }
  if (detection)
    io.stderr(`tidings: detected the list "${detection.list.item}" (${detection.count} items)\n`);
}

/** That the generic article rules read an article page no profile knows. */
export function noteArticleRules(url: string, chosenBy: ProfileChoice | undefined, io: Io): void {
  if (chosenBy !== 'fallback') return;
  io.stderr(`tidings: note: no profile knows ${url}, so the generic article rules read it\n`);
}

/** `item "ul.news > li" (15 items), title "a" @title, …` on one line. */
function describeList({ list, count }: ListDetection): string {
  const fields = (['title', 'link', 'date'] as const).map(
    (field) => `${field} ${describeRules(list[field])}`,
  );
  if (list.content) fields.push(`content ${list.content}`);
  return `item ${list.item} (${count} items), ${fields.join(', ')}`;
}
