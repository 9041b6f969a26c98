import { TidingsError } from '@tidings/parser';
import type { ConfigProblem } from './config/issues.js';

/**
 * The configuration cannot be used: a missing or unreadable file, YAML that does not parse, a
 * value that fails validation, a bad environment variable. The message names the file, the key
 * and the value; `path` and `value` carry the first offending key for programs.
 */
export class ConfigError extends TidingsError {
  /** The key path, e.g. `sources[1].refresh`, or the environment variable, e.g. `PORT`. */
  readonly path?: string;
  readonly value?: unknown;
  /** The config file as the user named it. */
  readonly file?: string;
  /** For `invalid-config`: every offending key, in the file's order. */
  readonly problems?: readonly ConfigProblem[];

  constructor(
    code: string,
    message: string,
    details: {
      path?: string;
      value?: unknown;
      file?: string;
      problems?: readonly ConfigProblem[];
      cause?: unknown;
    } = {},
  ) {
    super(code, message, 'cause' in details ? { cause: details.cause } : undefined);
    if (details.path !== undefined) this.path = details.path;
    if ('value' in details) this.value = details.value;
    if (details.file !== undefined) this.file = details.file;
    if (details.problems !== undefined) this.problems = details.problems;
  }
}

/** The store cannot do what was asked: an unreadable or newer database, bad arguments. */
export class StoreError extends TidingsError {}
