import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { parseConfigText } from '../config/load.js';
import type { ConfigFile } from '../config/schema.js';
import type { SourceConfig } from '../config/types.js';
import { editSources, type SourceEdit, type SourceEntry, writeFileAtomic } from '../config/write.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { LiveSources, SourceChange } from './sources.js';

/** What a reload did, or why it changed nothing. */
export type ReloadResult =
  | { ok: true; added: string[]; changed: string[]; removed: string[]; needsRestart: string[] }
  | { ok: false; error: string };

export interface LiveConfigOptions {
  /** The config file, absolute. */
  file: string;
  env: NodeJS.ProcessEnv;
  sources: LiveSources;
  logger: Logger;
}

/** Top-level keys read once at start: a change to them is logged, not applied. */
const LIVE_KEYS = new Set(['sources', 'feeds', 'admin']);

/**
 * The config file the server runs from, kept in step with it both ways: a change asked for (the
 * admin API) is validated as the whole new file, written in place and applied; a change on disk
 * (SIGHUP, the file watcher) is read, validated and applied as its differences. One change at a
 * time; a file that fails validation changes nothing.
 */
export class LiveConfig {
  readonly file: string;
  /** The text last read or written: a file event showing this text again is our own write. */
  #text: string;
  #data: Record<string, unknown>;
  #entries: Map<string, SourceEntry>;
  #adminToken: string | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: LiveConfigOptions) {
    this.file = options.file;
    this.#text = readFileSync(this.file, 'utf8');
    const { config, data } = parseConfigText(this.#text, this.file, options.env);
    this.#data = data;
    this.#entries = entriesOf(data);
    this.#adminToken = adminTokenOf(config, options.env);
  }

  /** Each source as the file writes it (durations as `30m`, profiles as written), in the file's order. */
  entries(): SourceEntry[] {
    return [...this.#entries.values()];
  }

  entry(id: string): SourceEntry | undefined {
    return this.#entries.get(id);
  }

  /** The admin API's token: TIDINGS_ADMIN_TOKEN, else `admin.token` as the file says now. */
  adminToken(): string | undefined {
    return this.#adminToken;
  }

  /**
   * Validates the file as it would be after `edit`, writes it (atomically) and applies the change.
   * Returns the source as it now runs (undefined after a removal).
   *
   * @throws {ConfigError} `invalid-config` (the file untouched; `path`, `value` and `problems`
   *   say why), `unknown-source`, `source-exists`, `config-file` (changed on disk and broken), or
   *   a reason the file cannot be read
   */
  change(edit: SourceEdit): Promise<SourceConfig | undefined> {
    return this.#serially(async () => {
      // Edited on disk since we last read it and not yet reloaded: take that in first, and never
      // write over an edit that does not load (it is someone's work in progress).
      if (readFileSync(this.file, 'utf8') !== this.#text) {
        const reloaded = await this.#reloadNow('changed on disk');
        if (!reloaded.ok) {
          throw new ConfigError(
            'config-file',
            `The config file was changed on disk and does not load: ${reloaded.error.replaceAll('\n', '; ')}. Fix it, then try again.`,
          );
        }
      }
      const text = editSources(this.#text, edit);
      const { config, data } = parseConfigText(text, this.file, this.options.env);
      writeFileAtomic(this.file, text);
      await this.#adopt(text, config, data);
      const id = edit.kind === 'remove' ? edit.id : edit.entry.id;
      return config.sources.find((source) => source.id === id);
    });
  }

  /** Reads the file again and applies what changed in it; a file that fails validation keeps the running config. */
  reload(reason: string): Promise<ReloadResult> {
    return this.#serially(() => this.#reloadNow(reason));
  }

  async #reloadNow(reason: string): Promise<ReloadResult> {
    const { logger } = this.options;
    let text: string;
    let parsed: ReturnType<typeof parseConfigText>;
    try {
      text = readFileSync(this.file, 'utf8');
      if (text === this.#text) return { ok: true, added: [], changed: [], removed: [], needsRestart: [] };
      parsed = parseConfigText(text, this.file, this.options.env);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger.error(
        { file: this.file, reason, error: message.replaceAll('\n', '; ') },
        'config reload failed; keeping the running config',
      );
      return { ok: false, error: message };
    }
    const result = await this.#adopt(text, parsed.config, parsed.data);
    logger.info({ file: this.file, reason, ...result }, 'config reloaded');
    return result;
  }

  /** Makes `text` the current config: applies each source's difference, takes the new admin token. */
  async #adopt(
    text: string,
    config: ConfigFile,
    data: Record<string, unknown>,
  ): Promise<Extract<ReloadResult, { ok: true }>> {
    const entries = entriesOf(data);
    const changes: SourceChange[] = [];
    for (const id of this.#entries.keys()) if (!entries.has(id)) changes.push({ kind: 'remove', id });
    for (const source of config.sources) {
      const before = this.#entries.get(source.id);
      if (!before) changes.push({ kind: 'add', source });
      else if (!isDeepStrictEqual(before, entries.get(source.id))) changes.push({ kind: 'replace', source });
    }
    const needsRestart = [...new Set([...Object.keys(this.#data), ...Object.keys(data)])].filter(
      (key) => !LIVE_KEYS.has(key) && !isDeepStrictEqual(this.#data[key], data[key]),
    );
    this.#text = text;
    this.#data = data;
    this.#entries = entries;
    this.#adminToken = adminTokenOf(config, this.options.env);
    if (needsRestart.length > 0) {
      this.options.logger.warn(
        { file: this.file, keys: needsRestart },
        `config: ${needsRestart.join(', ')} changed; that needs a restart (the running server keeps the old value)`,
      );
    }
    for (const change of changes) await this.options.sources.apply(change);
    // After the sources: a derived feed's source is running by now (the file validated).
    await this.options.sources.setDerivedFeeds(config.feeds ?? []);
    const ids = (kind: SourceChange['kind']) =>
      changes
        .filter((change) => change.kind === kind)
        .map((change) => (change.kind === 'remove' ? change.id : change.source.id));
    return { ok: true, added: ids('add'), changed: ids('replace'), removed: ids('remove'), needsRestart };
  }

  #serially<T>(task: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(task, task);
    this.#queue = next.catch(() => {});
    return next;
  }
}

/** The file's `sources:` entries by id, as plain data. */
function entriesOf(data: Record<string, unknown>): Map<string, SourceEntry> {
  const sources = Array.isArray(data.sources) ? (data.sources as SourceEntry[]) : [];
  return new Map(sources.map((entry) => [entry.id, entry]));
}

function adminTokenOf(config: ConfigFile, env: NodeJS.ProcessEnv): string | undefined {
  return env.TIDINGS_ADMIN_TOKEN || config.admin?.token;
}
