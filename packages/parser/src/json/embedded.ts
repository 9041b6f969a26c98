import type { Document } from 'domhandler';
import { textContent } from 'domutils';
import { selectIn } from '../extract/rules.js';
import { isRecord } from './path.js';
import type { EmbeddedJson } from './types.js';

/** The name the page's JSON-LD goes by: its nodes grouped by `@type`. */
export const JSON_LD = 'ld+json';

// `window.__INITIAL_STATE__ = {`, `window["__DATA__"]={`: the value starts at the brace.
const WINDOW_ASSIGNMENT =
  /(?:window|self|globalThis)\s*(?:\.\s*([A-Za-z_$][\w$]*)|\[\s*['"]([^'"]+)['"]\s*\])\s*=\s*(?=[[{])/g;

/**
 * The JSON a page carries for its script to build from, in page order: `<script id="__NEXT_DATA__">`
 * and other `application/json` scripts, `window.X = {…}` assignments that are plain JSON, and
 * the JSON-LD, whose nodes (`@graph` members included) are grouped by `@type`:
 * `{ NewsArticle: [ … ], ItemList: [ … ] }`.
 */
export function embeddedJson(document: Document): EmbeddedJson[] {
  const found: EmbeddedJson[] = [];
  const linkedData: unknown[] = [];
  for (const script of selectIn(document, 'script:not([src])')) {
    const type = (script.attribs.type ?? '').trim().toLowerCase();
    const code = textContent(script);
    if (type === 'application/ld+json') {
      const value = parseJson(code);
      if (value !== undefined) linkedData.push(value);
    } else if (type === 'application/json') {
      const value = parseJson(code);
      if (value !== undefined) found.push({ name: script.attribs.id || 'application/json', value });
    } else if (type === '' || /javascript|ecmascript/.test(type)) {
      found.push(...assignments(code));
    }
  }
  if (linkedData.length > 0) found.push({ name: JSON_LD, value: groupByType(linkedData) });
  return found;
}

function assignments(code: string): EmbeddedJson[] {
  const found: EmbeddedJson[] = [];
  for (const match of code.matchAll(WINDOW_ASSIGNMENT)) {
    const literal = balancedAt(code, (match.index ?? 0) + match[0].length);
    const value = literal === undefined ? undefined : parseJson(literal);
    if (value !== undefined) found.push({ name: (match[1] ?? match[2]) as string, value });
  }
  return found;
}

/** The `{…}` or `[…]` starting at `start`, strings and escapes respected; undefined if it never closes. */
function balancedAt(code: string, start: number): string | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let index = start; index < code.length; index++) {
    const char = code[index];
    if (quote !== undefined) {
      if (char === '\\') index++;
      else if (char === quote) quote = undefined;
      continue;
    }
    if (char === '"' || char === "'") quote = char;
    else if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') {
      depth--;
      if (depth === 0) return code.slice(start, index + 1);
    }
  }
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.trim().replace(/;\s*$/, ''));
  } catch {
    // A JavaScript literal that is not JSON (unquoted keys, undefined): not ours to read.
    return undefined;
  }
}

function groupByType(blocks: readonly unknown[]): Record<string, unknown[]> {
  const groups: Record<string, unknown[]> = {};
  const add = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const member of node) add(member);
      return;
    }
    if (!isRecord(node)) return;
    if (Array.isArray(node['@graph'])) add(node['@graph']);
    const types = node['@type'];
    const type = Array.isArray(types) ? types.find((entry) => typeof entry === 'string') : types;
    if (typeof type !== 'string') return;
    groups[type] ??= [];
    groups[type].push(node);
  };
  add(blocks);
  return groups;
}
