import type { Article } from '@tidings/parser';
import { escapeHtml } from '../views/html.js';

// One segmenter for the process: like Intl.DateTimeFormat, each holds ICU memory the GC does not see.
const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

const ELLIPSIS = '…';

/**
 * `text` in at most `max` user-perceived characters (graphemes: an emoji with its modifiers, a
 * letter with its combining marks), ending in `…` when cut. Reads only as far as it keeps.
 */
export function cutGraphemes(text: string, max: number): string {
  // No string of at most `max` code units holds more than `max` graphemes.
  if (text.length <= max) return text;
  let count = 0;
  for (const { index } of GRAPHEMES.segment(text)) {
    // The start of grapheme number `max`: the first `max - 1` are kept, the ellipsis makes `max`.
    if (count === max - 1) {
      let end = index;
      const rest = text.slice(index);
      // Exactly `max` graphemes left: nothing to cut.
      if (countUpTo(rest, 2) === 1) return text;
      while (end > 0 && /\s/.test(text[end - 1] as string)) end--;
      return text.slice(0, end) + ELLIPSIS;
    }
    count++;
  }
  return text;
}

function countUpTo(text: string, limit: number): number {
  let count = 0;
  for (const _ of GRAPHEMES.segment(text)) if (++count >= limit) break;
  return count;
}

/** Plain text (paragraphs split by blank lines) as HTML paragraphs, escaped. */
function paragraphs(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph.length > 0)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replaceAll('\n', '<br>')}</p>`)
    .join('\n');
}

/**
 * The article cut short for `brief=N`: summary and text in at most `max` graphemes. Its HTML body
 * is not cut (a cut could fall inside markup, and the images and tables it holds would be a part
 * of a whole): it is replaced by the cut text as paragraphs, so every format carries the same brief.
 */
export function briefArticle<T extends Article>(article: T, max: number): T {
  const contentText = cutGraphemes(article.contentText, max);
  return {
    ...article,
    summary: cutGraphemes(article.summary, max),
    contentText,
    contentHtml: paragraphs(contentText),
  };
}
