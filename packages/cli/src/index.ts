import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parseArticle, parseListing, TidingsError } from '@tidings/parser';

/** Where the command writes: stdout carries only the result, so scripts can pipe it. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin?: () => Promise<Buffer>;
  cwd?: string;
}

/** Exit codes: 0 success, 1 the page could not be parsed, 2 usage (bad flags, missing file). */
export const EXIT = { ok: 0, parseFailed: 1, usage: 2 } as const;

class UsageError extends Error {
  constructor(
    message: string,
    readonly showUsage = true,
  ) {
    super(message);
  }
}

const USAGE = `Usage:
  tidings parse <file> [--url <page-url>] [--content-type <header>] [--profile <id>] [--compact]
      A listing page (HTML in any charset, or its text) → { source, articles, pages } as JSON.
  tidings parse --article <file> --url <article-url> [--content-type <header>] [--profile <id>]
      An article page → one article as JSON.

  <file> may be - for standard input. Without --url, links resolve against the file's location.
  Exit codes: 0 ok, 1 the page could not be parsed, 2 bad usage or unreadable file.`;

/** Runs the `tidings` command with the arguments after the command name. Returns the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      (command === undefined ? io.stderr : io.stdout)(`${USAGE}\n`);
      return command === undefined ? EXIT.usage : EXIT.ok;
    }
    if (command !== 'parse') throw new UsageError(`Unknown command "${command}".`);
    return await parseCommand(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`tidings: ${error.message}\n${error.showUsage ? `\n${USAGE}\n` : ''}`);
      return EXIT.usage;
    }
    if (error instanceof TidingsError) {
      io.stderr(`tidings: ${error.name} (${error.code}): ${error.message}\n`);
      return EXIT.parseFailed;
    }
    throw error;
  }
}

async function parseCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = readFlags(argv);
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return EXIT.ok;
  }
  const file = values.article ?? positionals[0];
  if (values.article !== undefined && positionals.length > 0) {
    throw new UsageError(`--article takes the file; unexpected "${positionals[0]}".`);
  }
  if (positionals.length > 1) throw new UsageError(`One file at a time; unexpected "${positionals[1]}".`);
  if (file === undefined || file === '') throw new UsageError('Which file? Give the page to parse.');
  if (values.article !== undefined && values.url === undefined) {
    throw new UsageError('--article needs --url <article-url>: the article id is its permalink.');
  }

  const cwd = io.cwd ?? process.cwd();
  const input = await readInput(file, io, cwd);
  const url = values.url ?? (file === '-' ? undefined : pathToFileURL(resolve(cwd, file)).href);
  if (url === undefined) throw new UsageError('Reading standard input needs --url <page-url>.');
  const options = {
    url,
    ...(values['content-type'] ? { contentType: values['content-type'] } : {}),
    ...(values.profile ? { profile: values.profile } : {}),
  };
  const result = values.article !== undefined ? parseArticle(input, options) : parseListing(input, options);
  io.stdout(`${JSON.stringify(result, null, values.compact ? undefined : 2)}\n`);
  return EXIT.ok;
}

function readFlags(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        url: { type: 'string' },
        'content-type': { type: 'string' },
        profile: { type: 'string' },
        article: { type: 'string' },
        compact: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function readInput(file: string, io: Io, cwd: string): Promise<Buffer> {
  if (file === '-') {
    if (!io.stdin) throw new UsageError('No standard input to read.');
    return io.stdin();
  }
  try {
    return await readFile(resolve(cwd, file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(code);
    throw new UsageError(`Cannot read "${file}": ${reason}.`, false);
  }
}
