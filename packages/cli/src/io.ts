import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { Fetcher } from '@tidings/fetch';

/** Where the command writes: stdout carries only the result, so scripts can pipe it. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin?: () => Promise<Uint8Array>;
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

/** Flags every command that reads a page takes. */
export const PAGE_FLAGS = {
  url: { type: 'string' },
  'content-type': { type: 'string' },
  profile: { type: 'string' },
  'allow-private-network': { type: 'boolean' },
  render: { type: 'string' },
} as const;

type PageCommandConfig<Options> = {
  args: string[];
  allowPositionals: true;
  strict: true;
  options: typeof PAGE_FLAGS & Options;
};

/** The page flags plus a command's own, parsed strictly; complaints become usage errors. */
export function pageCommandFlags<const Options extends NonNullable<ParseArgsConfig['options']>>(
  argv: readonly string[],
  options: Options,
): ReturnType<typeof parseArgs<PageCommandConfig<Options>>> {
  return flags(() =>
    parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { ...PAGE_FLAGS, ...options },
    }),
  );
}

/** Runs a flag parser, turning its complaints (unknown option, missing value) into usage errors. */
export function flags<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export interface Input {
  bytes: Uint8Array;
  /** The page's address after redirects, when it came from the web. */
  url?: string;
  contentType?: string;
}

/**
 * A page from a file, standard input (`-`), or the web (an http(s) URL, fetched politely; with
 * `render: 'browser'`, rendered in Chromium).
 */
export async function readPage(
  file: string,
  io: Io,
  options: { allowPrivateNetwork?: boolean; render?: string | undefined } = {},
): Promise<Input> {
  const fromWeb = /^https?:\/\//i.test(file);
  if (options.render !== undefined) {
    if (options.render !== 'browser') {
      throw new UsageError(`--render takes browser, not "${options.render}".`);
    }
    if (!fromWeb) {
      throw new UsageError('--render browser reads a page from the web: give its http(s) URL, not a file.');
    }
    // Loaded only when asked for: the plain path never starts a browser.
    const { renderPage } = await import('./render-page.js');
    return renderPage(file, io, { allowPrivateNetwork: options.allowPrivateNetwork ?? false });
  }
  if (!fromWeb) return { bytes: await readInput(file, io) };
  const fetcher = new Fetcher({ allowPrivateNetwork: options.allowPrivateNetwork ?? false });
  try {
    const page = await fetcher.fetch(file);
    return {
      bytes: page.body,
      url: page.url,
      ...(page.contentType ? { contentType: page.contentType } : {}),
    };
  } finally {
    await fetcher.close();
  }
}

/** A file's bytes, or standard input for `-`. */
export async function readInput(file: string, io: Io): Promise<Uint8Array> {
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

/** The page's address: as given, else where it was fetched from, else the file's own URL. */
export function pageUrl(given: string | undefined, input: Input, file: string, io: Io): string {
  const url =
    given ??
    input.url ??
    (file === '-' ? undefined : pathToFileURL(resolve(io.cwd ?? process.cwd(), file)).href);
  if (url === undefined) throw new UsageError('Reading standard input needs --url <page-url>.');
  return url;
}
