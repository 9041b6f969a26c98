import { LayoutError } from '../errors.js';
import { resolveLink } from '../normalize/url.js';
import type { SiteProfile } from '../profiles/types.js';
import { toCount } from './pagination.js';
import type { RawItem, RawListing } from './raw.js';

// A line that is nothing but a date, optionally bracketed and with a time: the anchor of an item.
const DATE_LINE =
  /^[[(（【]?\s*\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s+\d{1,2}[:：]\d{2}(?::\d{2})?)?\s*[\])）】]?$/;
// List bullets as text browsers print them: `•`, `·`, `*`, `-`, alone or together.
const BULLET_LINE = /^[\s•·∙◦▪●○*+-]*$/;
// lynx -dump writes links as `[12]Title` and lists `12. https://…` under "References".
const REFERENCE_MARK = /^\[(\d+)\]\s*/;
const REFERENCE_MARKS = /\[\d+\]/g;
const LEADING_BULLETS = /^[•·∙◦▪●○*+-]+\s*/;
const REFERENCE_ENTRY = /^\s*(\d+)\.\s+(\S+)\s*$/;

/**
 * Reads a listing from its text: what a reader copies from the browser or a text browser dumps.
 * An item is a title line, a line holding only its date, then its text until the next item.
 */
export function extractTextListing(text: string, profile: SiteProfile, url: string): RawListing {
  const allLines = text.split(/\r\n|\r|\n/).map((line) => line.trim());
  const referencesAt = allLines.findIndex((line) => /^References$/i.test(line));
  const lines = referencesAt >= 0 ? allLines.slice(0, referencesAt) : allLines;
  const references = referencesAt >= 0 ? readReferences(allLines.slice(referencesAt + 1)) : new Map();
  const rules = profile.text ?? {};
  const stops = rules.stopAt ?? [];

  const dateLines: number[] = [];
  lines.forEach((line, index) => {
    if (DATE_LINE.test(line)) dateLines.push(index);
  });

  const items: RawItem[] = [];
  const titleLines: number[] = [];
  for (const dateAt of dateLines) {
    const titleAt = previousContentLine(lines, dateAt);
    if (titleAt < 0) continue;
    titleLines.push(titleAt);
  }
  dateLines.forEach((dateAt, n) => {
    const titleAt = titleLines[n];
    if (titleAt === undefined || titleAt < 0) return;
    const nextTitleAt = titleLines[n + 1] ?? lines.length;
    const body: string[] = [];
    for (let i = dateAt + 1; i < nextTitleAt; i++) {
      const line = lines[i] as string;
      if (stops.some((stop) => stop.test(line))) break;
      if (!BULLET_LINE.test(line)) body.push(line);
    }
    const rawTitle = (lines[titleAt] as string).replace(LEADING_BULLETS, '');
    const mark = REFERENCE_MARK.exec(rawTitle);
    const item: RawItem = { title: rawTitle.replace(REFERENCE_MARK, ''), date: lines[dateAt] as string };
    const link = mark ? references.get(mark[1] as string) : undefined;
    // A text listing's links are optional: a reference that is no web address (lynx lists
    // `javascript:` links too) leaves the item as a plain copy's would be, with a hashed id.
    if (link && resolveLink(link, url)) item.link = link;
    if (body.length > 0) item.content = body.join('\n');
    items.push(item);
  });

  if (items.length === 0) {
    throw new LayoutError(
      'no-articles',
      `Profile "${profile.id}" found no articles in the text given for ${url}: no line holds only a date ` +
        '(like 2024-12-04) below a title line. Is this the listing page?',
      { profile: profile.id, rule: 'text: a title line, then a date line', url },
    );
  }

  return {
    section: sectionFrom(lines, rules.breadcrumb, rules.separator),
    items,
    total: rules.total ? toCount(rules.total.exec(text)?.[1]) : null,
    current: rules.current ? toCount(rules.current.exec(text)?.[1]) : null,
  };
}

function previousContentLine(lines: readonly string[], from: number): number {
  for (let i = from - 1; i >= 0; i--) {
    const line = lines[i] as string;
    if (line === '') continue;
    return BULLET_LINE.test(line) || DATE_LINE.test(line) ? -1 : i;
  }
  return -1;
}

function sectionFrom(
  lines: readonly string[],
  breadcrumb?: RegExp,
  separator: string | RegExp = '>',
): string | undefined {
  if (!breadcrumb) return undefined;
  for (const line of lines) {
    const trail = breadcrumb.exec(line)?.[1];
    // lynx numbers the breadcrumb's links too: `首页 > [6]教育动态 > [7]天津教育`.
    if (trail) return trail.split(separator).pop()?.replace(REFERENCE_MARKS, '').trim() || undefined;
  }
  return undefined;
}

function readReferences(lines: readonly string[]): Map<string, string> {
  const references = new Map<string, string>();
  for (const line of lines) {
    const entry = REFERENCE_ENTRY.exec(line);
    if (entry) references.set(entry[1] as string, entry[2] as string);
  }
  return references;
}
