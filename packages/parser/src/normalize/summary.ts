const graphemes = new Intl.Segmenter('zh', { granularity: 'grapheme' });
// Full stops of Chinese and Latin text, and what may close a sentence after them.
const TERMINATORS = new Set(['。', '！', '？', '!', '?', '；', '…']);
const CLOSERS = new Set(['”', '’', '」', '』', '）', ')', '"', "'", '》', '】']);
const ELLIPSIS = '…';

/**
 * At most `max` characters (code points) of plain text for previews. Whole sentences when at
 * least half the room can be filled with them, otherwise whole graphemes; `…` marks a cut.
 */
export function summarize(text: string, max = 120): string {
  // `max` code points never span more than 2·max UTF-16 units: no need to look further.
  const head = text.slice(0, 2 * max + 2).replace(/\s*\n+\s*/g, ' ');
  if (text.length <= 2 * max + 2 && codePoints(head.trim()) <= max) return head.trim();
  const room = max - 1;
  let bySentence = '';
  for (const segment of splitSentences(head)) {
    if (codePoints(bySentence) + codePoints(segment.trimEnd()) > room) break;
    bySentence += segment;
  }
  bySentence = bySentence.trim();
  if (codePoints(bySentence) >= room / 2) return bySentence + ELLIPSIS;
  // No sentence fits: cut after `room` code points, backing off to the start of the grapheme
  // there so no emoji, flag or combining sequence is split.
  const start = head.trimStart();
  const index = utf16IndexOf(start, room);
  const cluster = graphemes.segment(start).containing(index);
  const cut = cluster && cluster.index < index ? cluster.index : index;
  return start.slice(0, cut).trimEnd() + ELLIPSIS;
}

/** Where the code point after the first `count` code points starts. */
function utf16IndexOf(text: string, count: number): number {
  let index = 0;
  for (let seen = 0; seen < count && index < text.length; seen++) {
    const code = text.charCodeAt(index);
    index += code >= 0xd800 && code <= 0xdbff && index + 1 < text.length ? 2 : 1;
  }
  return index;
}

/**
 * Sentences with their terminators. A scan rather than Intl.Segmenter('sentence'), which costs as
 * much as parsing the page on large listings and splits Chinese no better.
 */
function* splitSentences(text: string): Generator<string> {
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    const ends = TERMINATORS.has(char) || (char === '.' && (i + 1 === text.length || text[i + 1] === ' '));
    if (!ends) continue;
    while (
      i + 1 < text.length &&
      (TERMINATORS.has(text[i + 1] as string) || CLOSERS.has(text[i + 1] as string))
    )
      i++;
    yield text.slice(start, i + 1);
    start = i + 1;
  }
  if (start < text.length) yield text.slice(start);
}

function codePoints(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count--;
        i++;
      }
    }
  }
  return count;
}
