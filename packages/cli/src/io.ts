import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

/** Where the command writes: stdout carries only the result, so scripts can pipe it. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin?: () => Promise<Buffer>;
  cwd?: string;
}

/** Exit codes: 0 success, 1 the page could not be parsed or rendered, 2 usage (bad flags, missing file). */
export const EXIT = { ok: 0, parseFailed: 1, usage: 2 } as const;

/** Bad flags or arguments; `showUsage` adds the usage text to the message. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly showUsage = true,
  ) {
    super(message);
  }
}

/** Runs a flag parser, turning its complaints (unknown option, missing value) into usage errors. */
export function flags<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** A file's bytes, or standard input for `-`. */
export async function readInput(file: string, io: Io): Promise<Buffer> {
  if (file === '-') {
    if (!io.stdin) throw new UsageError('No standard input to read.');
    return io.stdin();
  }
  try {
    return await readFile(resolve(io.cwd ?? process.cwd(), file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(code);
    throw new UsageError(`Cannot read "${file}": ${reason}.`, false);
  }
}

/** The one positional file argument. */
export function oneFile(positionals: readonly string[]): string {
  if (positionals.length > 1) throw new UsageError(`One file at a time; unexpected "${positionals[1]}".`);
  const file = positionals[0];
  if (file === undefined || file === '') throw new UsageError('Which file? Give the page to read.');
  return file;
}
