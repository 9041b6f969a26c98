import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import {
  type Document,
  isMap,
  isSeq,
  type Node,
  parseDocument,
  visit,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { ConfigError } from '../errors.js';

/** A source as a config file's `sources:` entry holds it: plain data, durations as written (`30m`). */
export type SourceEntry = { id: string } & Record<string, unknown>;

/** One change to the `sources:` list. */
export type SourceEdit =
  | { kind: 'add'; entry: SourceEntry }
  | { kind: 'replace'; entry: SourceEntry }
  | { kind: 'remove'; id: string };

/**
 * The config file's text with one `sources:` entry added, rewritten or removed, through the yaml
 * Document API: every other line — comments, order, quoting, blank lines — stays as it was.
 * A rewritten entry keeps the keys (and their comments) whose values did not change.
 *
 * @throws {ConfigError} `unknown-source` (replace, remove), `source-exists` (add), `yaml-syntax`,
 *   `no-sources` when the file has no `sources:` list to edit
 */
export function editSources(text: string, edit: SourceEdit): string {
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    throw new ConfigError(
      'yaml-syntax',
      `The config file does not parse as YAML: ${document.errors[0]?.message}`,
    );
  }
  const sources = document.get('sources', true);
  if (!isSeq(sources)) {
    throw new ConfigError('no-sources', 'The config file has no "sources:" list to change.');
  }
  const id = edit.kind === 'remove' ? edit.id : edit.entry.id;
  const index = sources.items.findIndex((item) => isMap(item) && item.get('id') === id);
  if (edit.kind === 'add') {
    if (index >= 0)
      throw new ConfigError('source-exists', `A source "${id}" is already configured.`, { value: id });
    sources.items.push(entryNode(document, edit.entry));
  } else if (index < 0) {
    throw new ConfigError('unknown-source', `No source "${id}" in the config file.`, { value: id });
  } else if (edit.kind === 'replace') {
    updateEntry(document, sources.items[index] as YAMLMap, edit.entry);
  } else {
    removeEntry(sources, index);
  }
  return document.toString();
}

/**
 * Writes `text` to `file` so that a reader sees the old file or the new one, never half of one:
 * a temporary file in the same directory (same file system), then a rename over the original.
 * The original's permissions are kept (a file holding a token may be 0600).
 */
export function writeFileAtomic(file: string, text: string): void {
  const temporary = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const mode = statSync(file, { throwIfNoEntry: false })?.mode;
  try {
    writeFileSync(temporary, text, { flush: true, ...(mode !== undefined && { mode: mode & 0o777 }) });
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** A new entry, written as a person would: each field rule (`{ selector, attribute }`) on one line. */
function entryNode(document: Document, value: unknown): Node {
  const node = document.createNode(value) as Node;
  visit(node, {
    Map(_key, map) {
      if (map.items.some((pair) => String(pair.key) === 'selector')) map.flow = true;
    },
  });
  return node;
}

/** The entry's keys set to `entry`'s: unchanged ones untouched (comments kept), changed ones rewritten, new ones appended. */
function updateEntry(document: Document, map: YAMLMap, entry: SourceEntry): void {
  for (const pair of [...map.items]) {
    const key = String(pair.key);
    if (!Object.hasOwn(entry, key)) map.delete(pair.key);
  }
  for (const [key, value] of Object.entries(entry)) {
    const current = map.get(key, true);
    const same = current !== undefined && isDeepStrictEqual(toPlain(current), value);
    if (!same) map.set(key, entryNode(document, value));
  }
}

/**
 * Removes one entry with its own comment: the paragraph right above it (no blank line between).
 * Paragraphs further up (the notes on every key above the first source) stay, with the entry after it.
 */
function removeEntry(sources: YAMLSeq, index: number): void {
  const [removed] = sources.items.splice(index, 1) as Node[];
  if (!removed) return;
  // yaml keeps the comment above the first entry on the list itself.
  if (index === 0 && !removed.commentBefore && !removed.spaceBefore && sources.commentBefore) {
    sources.commentBefore = withoutLastParagraph(sources.commentBefore);
    return;
  }
  const shared = removed.commentBefore && withoutLastParagraph(removed.commentBefore);
  if (!shared) return;
  const next = sources.items[index] as Node | undefined;
  if (next) next.commentBefore = next.commentBefore ? `${shared}\n\n${next.commentBefore}` : shared;
  else sources.comment = sources.comment ? `${shared}\n\n${sources.comment}` : shared;
}

function withoutLastParagraph(comment: string): string | undefined {
  const paragraphs = comment.split(/\n\s*\n/);
  return paragraphs.slice(0, -1).join('\n\n') || undefined;
}

function toPlain(node: unknown): unknown {
  return node && typeof node === 'object' && 'toJSON' in node
    ? (node as { toJSON(): unknown }).toJSON()
    : node;
}
