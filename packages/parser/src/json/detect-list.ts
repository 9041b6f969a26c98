import { containsDate } from '../normalize/dates.js';
import type { JsonListRules } from '../profiles/types.js';
import { isRecord } from './path.js';

/** Fewer than this many articles is no list (an article page's own JSON-LD, say). */
const MIN_ITEMS = 2;
/** Members looked at to choose the fields; the rules are then read on all of them. */
const SAMPLE_SIZE = 50;
/** How deep inside a member fields are looked for: `item.headline` is depth 2. */
const FIELD_DEPTH = 3;
/** Values walked in search of lists, so a page's megabytes of state cannot stall the parse. */
const MAX_VISITS = 50_000;

const TITLE_KEY = /title|headline|^name$|subject|topic|标题/i;
const LINK_KEY = /url|link|href|permalink|^path$|uri|^@id$/i;
const DATE_KEY = /date|time|publish|created|updated|issued|modified|发布/i;
const CONTENT_KEY = /content|summary|excerpt|desc|abstract|intro|digest|brief|^text$|body/i;
const MEDIA_KEY = /img|image|pic|photo|thumb|cover|avatar|icon|logo|video|audio|banner/i;
const LINKISH = /^(?:https?:)?\/\/\S+$|^\.{0,2}\/\S*$|^[^\s?#]+\.(?:s?html?|php|aspx?|jsp)(?:[?#]\S*)?$/i;
const MEDIA_FILE = /\.(?:jpe?g|png|gif|webp|svg|bmp|ico|mp4|mp3|m3u8|css|js)(?:[?#]|$)/i;
const ONLY_DATE = /^[\d\s:/.\-TZ+年月日时分秒]+$/;

export interface FoundJsonList {
  rules: JsonListRules;
  /** Members of the array. */
  count: number;
  /** Members holding a title, a link and a date where the rules look. */
  complete: number;
}

type Role = 'title' | 'link' | 'date';

/**
 * The array of a JSON value that looks most like a list of articles: objects each with a title-ish
 * string, a URL-ish string and a date-ish value (a date, or a Unix time under a date-ish key), at
 * least two of them and most of its members. Its fields are written as paths.
 */
export function detectJsonList(value: unknown): FoundJsonList | undefined {
  let best: FoundJsonList | undefined;
  for (const { path, items } of arraysOfObjects(value)) {
    const found = chooseFields(path, items);
    if (found && (!best || found.complete > best.complete)) best = found;
  }
  return best;
}

function* arraysOfObjects(root: unknown): Generator<{ path: string; items: unknown[] }> {
  const stack: { value: unknown; path: string[] }[] = [{ value: root, path: [] }];
  for (let visits = 0; stack.length > 0 && visits < MAX_VISITS; visits++) {
    const { value, path } = stack.pop() as { value: unknown; path: string[] };
    if (Array.isArray(value)) {
      if (value.filter(isRecord).length >= MIN_ITEMS) yield { path: path.join('.'), items: value };
      value.slice(0, SAMPLE_SIZE).forEach((member, index) => {
        stack.push({ value: member, path: [...path, String(index)] });
      });
    } else if (isRecord(value)) {
      // Pushed in reverse so that the first key is walked first.
      for (const key of Object.keys(value).reverse()) {
        if (!key.includes('.')) stack.push({ value: value[key], path: [...path, key] });
      }
    }
  }
}

function chooseFields(itemsPath: string, members: readonly unknown[]): FoundJsonList | undefined {
  const sample = members.slice(0, SAMPLE_SIZE).filter(isRecord);
  const leaves = sample.map((member) => leavesOf(member));
  const title = bestPath('title', leaves, new Set());
  const link = title && bestPath('link', leaves, new Set([title]));
  const date = link && bestPath('date', leaves, new Set([title, link]));
  if (!title || !link || !date) return undefined;
  const complete = members.filter((member) => {
    if (!isRecord(member)) return false;
    const fields = leavesOf(member);
    return (
      fits('title', title, fields.get(title)) &&
      fits('link', link, fields.get(link)) &&
      fits('date', date, fields.get(date))
    );
  }).length;
  if (complete < MIN_ITEMS || complete * 2 < members.length) return undefined;
  const content = contentPath(leaves, new Set([title, link, date]));
  return {
    rules: { items: itemsPath, title, link, date, ...(content !== undefined && { content }) },
    count: members.length,
    complete,
  };
}

/** A member's scalar values by path, down to FIELD_DEPTH (lists inside it are not fields). */
function leavesOf(member: Record<string, unknown>): Map<string, unknown> {
  const leaves = new Map<string, unknown>();
  const walk = (value: Record<string, unknown>, prefix: string, depth: number): void => {
    for (const [key, entry] of Object.entries(value)) {
      if (key.includes('.')) continue;
      const path = prefix === '' ? key : `${prefix}.${key}`;
      if (isRecord(entry)) {
        if (depth < FIELD_DEPTH) walk(entry, path, depth + 1);
      } else if (!Array.isArray(entry) && entry !== null) {
        leaves.set(path, entry);
      }
    }
  };
  walk(member, '', 1);
  return leaves;
}

/**
 * The path most members hold a value of this role at, at least half of them: a key named for
 * the role first, then the most members, then (titles) the longer text.
 */
function bestPath(
  role: Role,
  leaves: readonly Map<string, unknown>[],
  taken: ReadonlySet<string>,
): string | undefined {
  const counts = new Map<string, { count: number; length: number }>();
  for (const fields of leaves) {
    for (const [path, value] of fields) {
      if (taken.has(path) || !fits(role, path, value)) continue;
      const entry = counts.get(path) ?? { count: 0, length: 0 };
      entry.count++;
      entry.length += String(value).length;
      counts.set(path, entry);
    }
  }
  const named = (path: string) => (keyPattern(role).test(lastKey(path)) ? 1 : 0);
  const ranked = [...counts]
    .filter(([, { count }]) => count * 2 >= leaves.length)
    .sort(
      ([a, x], [b, y]) =>
        named(b) - named(a) ||
        y.count - x.count ||
        (role === 'title' ? y.length / y.count - x.length / x.count : 0) ||
        a.split('.').length - b.split('.').length,
    );
  return ranked[0]?.[0];
}

function fits(role: Role, path: string, value: unknown): boolean {
  const key = lastKey(path);
  if (role === 'date') {
    if (typeof value === 'number' || (typeof value === 'string' && /^\d{10}(?:\d{3})?$/.test(value))) {
      return DATE_KEY.test(key) && isUnixTime(Number(value));
    }
    return typeof value === 'string' && value.length <= 40 && containsDate(value);
  }
  if (typeof value !== 'string') return false;
  const text = value.trim();
  if (role === 'link') return LINKISH.test(text) && !MEDIA_FILE.test(text) && !MEDIA_KEY.test(key);
  return (
    text.length >= 4 &&
    text.length <= 300 &&
    /\p{L}/u.test(text) &&
    !LINKISH.test(text) &&
    !ONLY_DATE.test(text)
  );
}

function isUnixTime(n: number): boolean {
  const seconds = n > 1e11 ? n / 1000 : n;
  return seconds >= 946_684_800 && seconds <= 4_102_444_800;
}

function contentPath(
  leaves: readonly Map<string, unknown>[],
  taken: ReadonlySet<string>,
): string | undefined {
  const lengths = new Map<string, number[]>();
  for (const fields of leaves) {
    for (const [path, value] of fields) {
      if (taken.has(path) || typeof value !== 'string' || !CONTENT_KEY.test(lastKey(path))) continue;
      lengths.set(path, [...(lengths.get(path) ?? []), value.trim().length]);
    }
  }
  const [best] = [...lengths]
    .filter(([, found]) => found.length * 2 >= leaves.length && median(found) > 20)
    .sort(([, a], [, b]) => median(b) - median(a));
  return best?.[0];
}

function keyPattern(role: Role): RegExp {
  return role === 'title' ? TITLE_KEY : role === 'link' ? LINK_KEY : DATE_KEY;
}

function lastKey(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
