import { describeSkippedItem, type SkippedItem } from '@tidings/parser';
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
