import type { Document } from 'domhandler';
import { LayoutError } from '../errors.js';
import type { RawItem } from '../extract/raw.js';
import type { JsonListRules, SiteProfile } from '../profiles/types.js';
import { detectJsonList } from './detect-list.js';
import { embeddedJson } from './embedded.js';
import { findItems, readJsonListing } from './read-list.js';
import type { JsonListDetection } from './types.js';

/** A list read out of JSON: its items as found, the rules that read them, the document they were in. */
export interface JsonRead {
  items: RawItem[];
  rules: JsonListRules;
  document: unknown;
  /** When detection chose the rules. */
  detection?: JsonListDetection;
}

/**
 * A JSON document's list (the page itself, or an API's answer): by the profile's JSON rules,
 * else found by detection.
 *
 * @throws {LayoutError} `no-list`: detection found none; see `readJsonListing` for the rest
 */
export function readJsonDocument(document: unknown, profile: SiteProfile, url: string): JsonRead {
  const place = { profile: profile.id, url };
  if (profile.json)
    return { items: readJsonListing(document, profile.json, place), rules: profile.json, document };
  const found = detectJsonList(document);
  if (!found) {
    throw new LayoutError(
      'no-list',
      `Found no list of articles in the JSON of ${url}: looked for a list of at least 2 objects each ` +
        'holding a title, a link (a URL or a path) and a date. Write the rules by hand: ' +
        'list: { json: { items, title, link, date } }.',
      { profile: profile.id, rule: 'detect', url },
    );
  }
  const { rules, count } = found;
  return { items: readJsonListing(document, rules, place), rules, document, detection: { rules, count } };
}

/**
 * An HTML page's list read by the profile's JSON rules from the JSON it embeds: the one
 * `rules.embedded` names, else the first whose `items` path finds a list.
 *
 * @throws {LayoutError} `no-json`: the page embeds no such JSON; see `readJsonListing` for the rest
 */
export function readEmbeddedJson(
  document: Document,
  rules: JsonListRules,
  profile: SiteProfile,
  url: string,
): JsonRead {
  const embedded = embeddedJson(document);
  const named =
    rules.embedded === undefined ? embedded : embedded.filter(({ name }) => name === rules.embedded);
  const chosen = named.find(({ value }) => findItems(value, rules) !== undefined) ?? named[0];
  if (!chosen) {
    const wanted = rules.embedded === undefined ? 'its embedded JSON' : `the page's ${rules.embedded} JSON`;
    const present =
      embedded.length === 0
        ? 'embeds none (no __NEXT_DATA__, window.… = {…}, application/json or JSON-LD script)'
        : `embeds only ${embedded.map(({ name }) => name).join(', ')}`;
    throw new LayoutError(
      'no-json',
      `Profile "${profile.id}" reads the list from ${wanted}, but ${url} ${present}. The site may have ` +
        'been redesigned, or the list comes from an API: give its address as `api: { url }`.',
      { profile: profile.id, rule: `list.json.embedded: ${rules.embedded ?? '(any)'}`, url },
    );
  }
  const place = { profile: profile.id, url, embedded: chosen.name };
  return { items: readJsonListing(chosen.value, rules, place), rules, document: chosen.value };
}

/** Detection's last resort on an HTML page with no list in its markup: a list in its embedded JSON. */
export function detectEmbeddedJson(
  document: Document,
  profile: SiteProfile,
  url: string,
): JsonRead | undefined {
  let best:
    | { name: string; value: unknown; found: NonNullable<ReturnType<typeof detectJsonList>> }
    | undefined;
  for (const { name, value } of embeddedJson(document)) {
    const found = detectJsonList(value);
    if (found && (!best || found.complete > best.found.complete)) best = { name, value, found };
  }
  if (!best) return undefined;
  const rules: JsonListRules = { embedded: best.name, ...best.found.rules };
  const place = { profile: profile.id, url, embedded: best.name };
  return {
    items: readJsonListing(best.value, rules, place),
    rules,
    document: best.value,
    detection: { rules, count: best.found.count },
  };
}
