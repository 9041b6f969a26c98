import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from '../logger.js';

/** Editors save in bursts (write, rename, chmod): one reload after the last event. */
const DEBOUNCE_MS = 250;

/**
 * Calls `onChange` once after each burst of changes to `file`. Watches the file's directory, not
 * the file: editors and atomic writes replace the file with a new one, which a watch on the old
 * one would never see. Returns a function that stops watching.
 */
export function watchFile(file: string, onChange: () => void, logger: Logger): () => void {
  const name = basename(file);
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher;
  try {
    watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
      if (changed !== null && changed !== name) return;
      clearTimeout(timer);
      timer = setTimeout(onChange, DEBOUNCE_MS);
    });
  } catch (error) {
    logger.warn({ file, err: String(error) }, 'cannot watch the config file; reload with SIGHUP');
    return () => {};
  }
  watcher.on('error', (error) => {
    logger.warn({ file, err: String(error) }, 'stopped watching the config file; reload with SIGHUP');
  });
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
