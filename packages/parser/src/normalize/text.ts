// Spaces CMS editors use to indent and pad (NBSP, en/em space, ideographic space).
const CMS_SPACE = '\\u00a0\\u2002\\u2003\\u3000';
const ANY_SPACE = `[ \\t\\f\\v${CMS_SPACE}]`;
const SPACE_RUN = new RegExp(`${ANY_SPACE}+`, 'g');
const HAS_CMS_SPACE = new RegExp(`[${CMS_SPACE}]`);
// Characters that are never content: C0 controls but tab/newline, DEL, C1 controls, zero-width
// marks, BOM, noncharacters; they break XML feeds and show as boxes.
// biome-ignore lint/complexity/useRegexLiterals: a literal would hold raw control characters, which lint rightly flags elsewhere
const INVISIBLE = new RegExp(
  '[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u200b\\u200c\\u200d\\u2060\\ufeff\\ufffe\\uffff]',
  'g',
);
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u{20000}-\u{3134f}]/u;

/**
 * A line break inside HTML text is a space, except between two CJK characters, where it is
 * nothing (CSS Text's segment-break rule): editors wrap Chinese source lines anywhere.
 */
export function collapseSegmentBreaks(text: string): string {
  // Whole whitespace runs, each matched once: a pattern anchored on the newline would rescan long
  // runs of spaces from every position (quadratic on hostile input).
  return text.replace(/[ \t\f\r\n]+/g, (run, offset: number, whole: string) => {
    if (!run.includes('\n')) return run;
    const before = whole[offset - 1] ?? '';
    const after = whole[offset + run.length] ?? '';
    return CJK.test(before) && CJK.test(after) ? '' : ' ';
  });
}

/** Removes characters that are never content (controls, zero-width marks, lone surrogates). */
export function removeInvisible(text: string): string {
  const visible = text.replace(INVISIBLE, '');
  return visible.isWellFormed() ? visible : visible.replace(LONE_SURROGATE, '');
}

/**
 * Cleans one line of text: no padding at either end; a run of spaces inside becomes one space,
 * or nothing when it is a CMS indent run between two CJK characters (Chinese needs no spaces).
 */
export function cleanLine(line: string): string {
  return collapseSpaces(trimSpaces(removeInvisible(line)));
}

const SPACE_CHARS = new Set([' ', '\t', '\n', '\r', '\f', '\v', '\u00a0', '\u2002', '\u2003', '\u3000']);

/** Trims ASCII and CMS spaces. A loop, not `/X+$/`, which is quadratic on long inner runs. */
export function trimSpaces(text: string, ends: { start?: boolean; end?: boolean } = {}): string {
  let start = 0;
  let end = text.length;
  if (ends.start !== false) while (start < end && SPACE_CHARS.has(text[start] as string)) start++;
  if (ends.end !== false) while (end > start && SPACE_CHARS.has(text[end - 1] as string)) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** The inside of `cleanLine`: collapses runs of spaces but leaves a run at either end as one space. */
export function collapseSpaces(text: string): string {
  return text.replace(SPACE_RUN, (run, offset: number, whole: string) => {
    if (!HAS_CMS_SPACE.test(run)) return ' ';
    const before = whole[offset - 1] ?? '';
    const after = whole[offset + run.length] ?? '';
    return CJK.test(before) && CJK.test(after) ? '' : ' ';
  });
}

/** Cleans text made of paragraphs: each line cleaned, empty lines dropped, paragraphs separated by a blank line. */
export function cleanParagraphs(text: string): string {
  return splitParagraphs(text).join('\n\n');
}

export function splitParagraphs(text: string): string[] {
  return text
    .split(/\r\n|\r|\n|\u2028|\u2029/)
    .map(cleanLine)
    .filter((line) => line.length > 0);
}
