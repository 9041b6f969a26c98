import { parseArgs } from 'node:util';

/** What `tidings-server` was asked to do. `file` is `--config`'s value, when given. */
export type Command =
  | { kind: 'serve'; file?: string }
  | { kind: 'check'; file?: string }
  | { kind: 'help' }
  | { kind: 'version' };

/** A command line that is not one `tidings-server` takes; the message is one line. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `Usage: tidings-server [--config <file>] [--check]
       tidings-server --version | --help

Serves the feeds of the sources in a YAML config file: --config, else TIDINGS_CONFIG, else the
bundled default (the offline demo, its data in ./data).

Options:
  -c, --config <file>  the config file
      --check          validate the config (and the environment) and exit: 0 and one line if it
                       is valid, 1 and every problem if not; starts nothing, writes nothing
  -v, --version        print the version and exit
  -h, --help           print this help and exit

Environment: PORT (3000), HOST (all interfaces), TIDINGS_DATA_DIR (./data), TIDINGS_CONFIG,
TIDINGS_REDIS_URL, TIDINGS_ADMIN_TOKEN, LOG_LEVEL (info), LOG_FORMAT (json, or pretty; default
pretty on a terminal). SIGHUP reloads the config file.
`;

/** Reads the arguments after `node main.js`. `--help` wins over everything, then `--version`. */
export function parseCommandLine(args: string[]): Command {
  let values: { config?: string; check?: boolean; help?: boolean; version?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        config: { type: 'string', short: 'c' },
        check: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(describeParseError(error));
  }
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  if (values.config === '') throw new UsageError('--config needs a file name');
  const file = values.config === undefined ? {} : { file: values.config };
  return values.check ? { kind: 'check', ...file } : { kind: 'serve', ...file };
}

/** node:util's parse errors, shortened to what was wrong. */
function describeParseError(error: unknown): string {
  const { code, message } = error as { code?: string; message: string };
  const quoted = /'([^']+)'/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${quoted ?? message}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${JSON.stringify(quoted ?? message)} (a config file goes after --config)`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /--config/.test(message) ? '--config needs a file name' : message;
    default:
      return message;
  }
}
