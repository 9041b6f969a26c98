import { LayoutError } from '../errors.js';
import type { RawItem } from '../extract/raw.js';
import type { JsonListRules } from '../profiles/types.js';
import type { ItemField } from '../types.js';
import { jsonDate, jsonText, pathsOf, readJsonField } from './fields.js';
import { describeJson, isRecord, type Lookup, lookup } from './path.js';
import { closest } from './suggest.js';

/** Where JSON rules run, for their errors. */
export interface JsonPlace {
  profile: string;
  url: string;
  /** The embedded JSON's name, on an HTML page. */
  embedded?: string | undefined;
}

/**
 * The items of a JSON document, each field as found; a field an item lacks is noted in `unread`
 * (the item is then skipped, as on HTML listings).
 *
 * @throws {LayoutError} `bad-json-path`: `items` finds no list, or a field's path is in none of
 *   the items (a misspelt key); `no-articles`: the list is empty
 */
export function readJsonListing(document: unknown, rules: JsonListRules, place: JsonPlace): RawItem[] {
  const items = jsonItems(document, rules, place);
  if (items.length === 0) {
    throw new LayoutError(
      'no-articles',
      `Profile "${place.profile}": list.json.items "${rules.items}" is an empty list in ${where(place)}: ` +
        'the source has no articles, or this asks for a page past its end.',
      { profile: place.profile, rule: `list.json.items: ${rules.items}`, url: place.url },
    );
  }
  const raw = items.map((item) => readItem(item, rules));
  for (const field of ['title', 'link', 'date'] as const) checkFieldPath(field, raw, items, rules, place);
  return raw;
}

/** The list `items` points at, if it points at one. */
export function findItems(document: unknown, rules: Pick<JsonListRules, 'items'>): unknown[] | undefined {
  const found = lookup(document, rules.items);
  return found.found && Array.isArray(found.value) ? found.value : undefined;
}

function jsonItems(document: unknown, rules: JsonListRules, place: JsonPlace): unknown[] {
  const found = lookup(document, rules.items);
  if (found.found && Array.isArray(found.value)) return found.value;
  const rule = `list.json.items: ${rules.items}`;
  const details = { profile: place.profile, rule, url: place.url };
  if (found.found) {
    const lists = isRecord(found.value)
      ? Object.keys(found.value).filter((key) => Array.isArray((found.value as Record<string, unknown>)[key]))
      : [];
    throw new LayoutError(
      'bad-json-path',
      `Profile "${place.profile}": list.json.items "${rules.items}" in ${where(place)} is ` +
        `${describeJson(found.value)}, not a list` +
        (lists.length > 0 ? ` (its lists: ${lists.map((key) => join(rules.items, key)).join(', ')}).` : '.'),
      details,
    );
  }
  throw new LayoutError(
    'bad-json-path',
    `Profile "${place.profile}": list.json.items "${rules.items}" finds nothing in ${where(place)}: ` +
      `${missingText(document, found, 'the top level')}.`,
    details,
  );
}

function readItem(item: unknown, rules: JsonListRules): RawItem {
  let unread: RawItem['unread'];
  const field = (name: ItemField): string | undefined => {
    const read = readJsonField(item, rules[name]);
    if ('value' in read) return read.value;
    unread = { ...unread, [name]: read.unread };
    return undefined;
  };
  const title = field('title');
  const link = field('link');
  const date = field('date');
  const raw: RawItem = {
    title: title === undefined ? '' : jsonText(title),
    date: date ? jsonDate(date) : '',
  };
  if (link !== undefined) raw.link = link;
  if (unread) raw.unread = unread;
  if (rules.content) {
    const read = readJsonField(item, rules.content);
    if ('value' in read) raw.content = jsonText(read.value);
  }
  return raw;
}

/** A field none of the items has is a wrong path, not a glitch in some items: say which key. */
function checkFieldPath(
  field: ItemField,
  raw: readonly RawItem[],
  items: readonly unknown[],
  rules: JsonListRules,
  place: JsonPlace,
): void {
  if (!raw.every((item) => item.unread?.[field] === '')) return;
  const rule = rules[field];
  const missing = pathsOf(rule).find((path) => items.every((item) => !lookup(item, path).found));
  if (missing === undefined) return;
  const found = lookup(items[0], missing) as Extract<Lookup, { found: false }>;
  throw new LayoutError(
    'bad-json-path',
    `Profile "${place.profile}": list.json.${field} "${rule}" is in none of the ${items.length} items ` +
      `of "${rules.items}" in ${where(place)}: ${missingText(items[0], found, 'the first item')}.`,
    { profile: place.profile, rule: `list.json.${field}: ${rule}`, url: place.url },
  );
}

/** `"data" has no "lst" (did you mean "data.list"?)`; `top` names the value the path starts at. */
function missingText(
  document: unknown,
  found: Extract<Lookup, { found: false }>,
  top: 'the top level' | 'the first item',
): string {
  const at =
    found.resolved === ''
      ? top
      : top === 'the first item'
        ? `${top}'s "${found.resolved}"`
        : `"${found.resolved}"`;
  const hint = closest(found.missing, found.keys);
  if (hint !== undefined)
    return `${at} has no "${found.missing}" (did you mean "${join(found.resolved, hint)}"?)`;
  if (found.keys.length > 0) {
    const keys = found.keys.slice(0, 12).join(', ');
    return `${at} has no "${found.missing}" (it has ${keys}${found.keys.length > 12 ? ', …' : ''})`;
  }
  const value = lookup(document, found.resolved);
  return `${at} is ${value.found ? describeJson(value.value) : 'missing'}, with no "${found.missing}"`;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function where(place: JsonPlace): string {
  return place.embedded === undefined
    ? `the JSON of ${place.url}`
    : `the ${place.embedded} JSON on ${place.url}`;
}
