import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parseArticle, parseListing } from '@tidings/parser';
import { EXIT, flags, type Io, oneFile, PAGE_FLAGS, readPage, UsageError } from '../io.js';

export const parseUsage = `  tidings parse <file|url> [--url <page-url>] [--content-type <header>] [--profile <id>] [--compact]
      A listing page (HTML in any charset, or its text) → { source, articles, pages } as JSON. A URL is
      fetched politely (robots.txt, timeouts); --allow-private-network permits loopback and LAN hosts.
  tidings parse --article <file> --url <article-url> [--content-type <header>] [--profile <id>]
      An article page → one article as JSON.`;

export async function parseCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = flags(() =>
    parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        ...PAGE_FLAGS,
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
  const input = await readPage(file, io, { allowPrivateNetwork: values['allow-private-network'] ?? false });
  const url =
    values.url ??
    input.url ??
    (file === '-' ? undefined : pathToFileURL(resolve(io.cwd ?? process.cwd(), file)).href);
  if (url === undefined) throw new UsageError('Reading standard input needs --url <page-url>.');
  const contentType = values['content-type'] ?? input.contentType;
  const options = {
    url,
    ...(contentType ? { contentType } : {}),
    ...(values.profile ? { profile: values.profile } : {}),
  };
  const result =
    values.article !== undefined ? parseArticle(input.bytes, options) : parseListing(input.bytes, options);
  io.stdout(`${JSON.stringify(result, null, values.compact ? undefined : 2)}\n`);
  return EXIT.ok;
}
