const graphemes = new Intl.Segmenter('zh', { granularity: 'grapheme' });
const sentences = new Intl.Segmenter('zh', { granularity: 'sentence' });
const ELLIPSIS = '…';

/**
 * At most `max` characters (code points) of plain text for previews. Whole sentences when at
 * least half the room can be filled with them, otherwise whole graphemes; `…` marks a cut.
 */
export function summarize(text: string, max = 120): string {
  const flat = text.replace(/\s*\n+\s*/g, ' ').trim();
  if (codePoints(flat) <= max) return flat;
  // Only the head can end up in the summary; segmenting all of a long article is wasted work.
  const head = flat.slice(0, max * 4);
  const room = max - 1;
  let bySentence = '';
  for (const { segment } of sentences.segment(head)) {
    if (codePoints(bySentence + segment.trimEnd()) > room) break;
    bySentence += segment;
  }
  bySentence = bySentence.trimEnd();
  if (codePoints(bySentence) >= room / 2) return bySentence + ELLIPSIS;
  let byGrapheme = '';
  let used = 0;
  for (const { segment } of graphemes.segment(head)) {
    const size = codePoints(segment);
    if (used + size > room) break;
    byGrapheme += segment;
    used += size;
  }
  return byGrapheme.trimEnd() + ELLIPSIS;
}

function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
