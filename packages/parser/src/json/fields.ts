import { parseHtml, textOf } from '../normalize/html.js';
import { lookup } from './path.js';

/** What a field rule reads in an item: a value, or what sits there instead (`''`: nothing). */
export type FieldRead = { value: string } | { unread: string };

const PLACEHOLDER = /\{([^{}]+)\}/g;

/** Whether a field rule is a template (`/news/{id}.html`) rather than a path. */
export function isTemplate(rule: string): boolean {
  return rule.includes('{');
}

/** The paths a field rule reads: itself, or a template's placeholders. */
export function pathsOf(rule: string): string[] {
  return isTemplate(rule) ? [...rule.matchAll(PLACEHOLDER)].map((match) => match[1] as string) : [rule];
}

/** A field rule in an item: a path's text or number, or a template with each `{path}` filled in. */
export function readJsonField(item: unknown, rule: string): FieldRead {
  if (!isTemplate(rule)) return scalarAt(item, rule);
  let unread: string | undefined;
  const value = rule.replace(PLACEHOLDER, (_, path: string) => {
    const read = scalarAt(item, path);
    if ('unread' in read) {
      unread ??= read.unread;
      return '';
    }
    return read.value;
  });
  return unread === undefined ? { value } : { unread };
}

function scalarAt(item: unknown, path: string): FieldRead {
  const found = lookup(item, path);
  if (!found.found || found.value === null) return { unread: '' };
  const { value } = found;
  if (typeof value === 'string') return value.trim() ? { value } : { unread: '' };
  if (typeof value === 'number' || typeof value === 'boolean') return { value: String(value) };
  return { unread: JSON.stringify(value).slice(0, 400) };
}

// 2000-01-01 to 2100-01-01, in seconds: a number outside is not a Unix time.
const UNIX_SECONDS = { min: 946_684_800, max: 4_102_444_800 };

/** A Unix time (seconds or milliseconds) → ISO 8601 in UTC; anything else as it is. */
export function jsonDate(value: string): string {
  if (!/^\d{10}(?:\d{3})?$/.test(value)) return value;
  const seconds = value.length === 13 ? Number(value) / 1000 : Number(value);
  if (seconds < UNIX_SECONDS.min || seconds > UNIX_SECONDS.max) return value;
  return new Date(seconds * 1000).toISOString();
}

/** A value as plain text: HTML (a CMS's `content` field, a title with `<em>`) is read for its text and blocks. */
export function jsonText(value: string): string {
  return /<\/?[a-z][^>]*>/i.test(value) ? textOf(parseHtml(value)) : value;
}
