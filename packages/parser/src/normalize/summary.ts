const graphemes = new Intl.Segmenter('zh', { granularity: 'grapheme' });
const ELLIPSIS = '…';
// Full stops of Chinese and Latin text, and what may close a sentence after them.
const codes = (chars: string) => new Set([...chars].map((char) => char.charCodeAt(0)));
const TERMINATORS = codes('。！？!?；…');
const CLOSERS = codes('”’」』）)"\'》】');
const FULL_STOP = 0x2e;
const SPACE = 0x20;

/**
 * At most `max` characters (code points) of plain text for previews. Whole sentences when at
 * least half the room can be filled with them, otherwise whole graphemes; `…` marks a cut.
 */
export function summarize(text: string, max = 120): string {
  // `max` code points never span more than 2·max UTF-16 units: no need to look further.
  const start = text.slice(0, 2 * max + 2);
  const head = (start.includes('\n') ? start.replace(/\s*\n+\s*/g, ' ') : start).trim();
  if (text.length <= 2 * max + 2 && codePoints(head) <= max) return head;
  const room = max - 1;
  const sentenceEnd = lastSentenceEnd(head, room);
  if (sentenceEnd > 0 && codePoints(head.slice(0, sentenceEnd)) >= room / 2) {
    return head.slice(0, sentenceEnd).trimEnd() + ELLIPSIS;
  }
  // No sentence fits: cut after `room` code points, backing off to the start of the grapheme
  // there so no emoji, flag or combining sequence is split.
  const index = utf16IndexOf(head, room);
  return head.slice(0, graphemeStart(head, index)).trimEnd() + ELLIPSIS;
}

/** The start of the grapheme holding `index`: `index` itself unless a cluster spans it. */
function graphemeStart(text: string, index: number): number {
  // Between two plain ASCII or CJK characters there is always a boundary; asking ICU costs more
  // than everything else in a summary, so only the rest (emoji, marks, jamo…) goes to it.
  if (isPlain(text.charCodeAt(index - 1)) && isPlain(text.charCodeAt(index))) return index;
  const cluster = graphemes.segment(text).containing(index);
  return cluster && cluster.index < index ? cluster.index : index;
}

function isPlain(code: number): boolean {
  return (
    (code >= 0x20 && code <= 0x7e) ||
    (code >= 0x3000 && code <= 0x3029) || // CJK punctuation, short of the combining tone marks
    (code >= 0x3030 && code <= 0x303f) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xff01 && code <= 0xff5e)
  );
}

/**
 * The end (UTF-16 index) of the last whole sentence within the first `room` code points, or 0.
 * A scan rather than Intl.Segmenter('sentence'), which costs as much as parsing the page on large
 * listings and splits Chinese no better.
 */
function lastSentenceEnd(text: string, room: number): number {
  let end = 0;
  let seen = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0xdc00 || code > 0xdfff) seen++;
    if (seen > room) break;
    const terminates =
      TERMINATORS.has(code) ||
      (code === FULL_STOP && (i + 1 === text.length || text.charCodeAt(i + 1) === SPACE));
    if (!terminates) continue;
    let j = i + 1;
    while (j < text.length && (TERMINATORS.has(text.charCodeAt(j)) || CLOSERS.has(text.charCodeAt(j)))) j++;
    if (seen + (j - i - 1) > room) break;
    end = j;
  }
  return end;
}

/** Where the code point after the first `count` code points starts. */
function utf16IndexOf(text: string, count: number): number {
  let index = 0;
  for (let seen = 0; seen < count && index < text.length; seen++) {
    const code = text.charCodeAt(index);
    const next = text.charCodeAt(index + 1);
    index += code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
  }
  return index;
}

function codePoints(text: string): number {
  let count = text.length;
  for (let i = 0; i + 1 < text.length; i++) {
    const code = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      count--;
      i++;
    }
  }
  return count;
}
