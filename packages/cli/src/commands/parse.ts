import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parseArticle, parseListing } from '@tidings/parser';
import { EXIT, flags, type Io, oneFile, readInput, UsageError } from '../io.js';

export const parseUsage = `  tidings parse <file> [--url <page-url>] [--content-type <header>] [--profile <id>] [--compact]
      A listing page (HTML in any charset, or its text) → { source, articles, pages } as JSON.
  tidings parse --article <file> --url <article-url> [--content-type <header>] [--profile <id>]
      An article page → one article as JSON.`;

export async function parseCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = flags(() =>
    parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        url: { type: 'string' },
        'content-type': { type: 'string' },
        profile: { type: 'string' },
        article: { type: 'string' },
        compact: { type: 'boolean' },
      },
    }),
  );
  if (values.article !== undefined && positionals.length > 0) {
    throw new UsageError(`--article takes the file; unexpected "${positionals[0]}".`);
  }
  const file = values.article ?? oneFile(positionals);
  if (values.article !== undefined && values.url === undefined) {
    throw new UsageError('--article needs --url <article-url>: the article id is its permalink.');
  }
  const input = await readInput(file, io);
  const url =
    values.url ?? (file === '-' ? undefined : pathToFileURL(resolve(io.cwd ?? process.cwd(), file)).href);
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
