import { parseArticle, parseListing } from '@tidings/parser';
import { EXIT, type Io, oneFile, pageCommandFlags, pageUrl, readPage, UsageError } from '../io.js';
import { noteSkipped } from '../notes.js';
import { profileOption } from '../profile-option.js';

export const parseUsage = `  tidings parse <file|url> [--url <page-url>] [--content-type <header>] [--profile <id|auto|file.yaml>] [--compact]
      A listing page (HTML in any charset, or its text) → { source, articles, skipped, pages } as JSON;
      each skipped item (an unusable link, title or date) also gets a note on stderr. A URL is
      fetched politely (robots.txt, timeouts); --allow-private-network permits loopback and LAN hosts.
      --profile auto finds the list by detection; a .yaml/.json file holds a written profile.
  tidings parse --article <file> --url <article-url> [--content-type <header>] [--profile <id>]
      An article page → one article as JSON.`;

export async function parseCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = pageCommandFlags(argv, {
    article: { type: 'string' },
    compact: { type: 'boolean' },
  });
  if (values.article !== undefined && positionals.length > 0) {
    throw new UsageError(`--article takes the file; unexpected "${positionals[0]}".`);
  }
  const file = values.article ?? oneFile(positionals);
  if (values.article !== undefined && values.url === undefined) {
    throw new UsageError('--article needs --url <article-url>: the article id is its permalink.');
  }
  const input = await readPage(file, io, { allowPrivateNetwork: values['allow-private-network'] ?? false });
  const url = pageUrl(values.url, input, file, io);
  const contentType = values['content-type'] ?? input.contentType;
  const profile = await profileOption(values.profile, io);
  const options = {
    url,
    ...(contentType ? { contentType } : {}),
    ...(profile !== undefined && { profile }),
  };
  if (values.article !== undefined) {
    io.stdout(
      `${JSON.stringify(parseArticle(input.bytes, options), null, values.compact ? undefined : 2)}\n`,
    );
    return EXIT.ok;
  }
  // What detection chose is news for the reader, not part of the result: the JSON is the same as
  // with the profile written down.
  const { detection, ...listing } = parseListing(input.bytes, options);
  if (detection)
    io.stderr(`tidings: detected the list "${detection.list.item}" (${detection.count} items)\n`);
  noteSkipped(listing.skipped, io);
  io.stdout(`${JSON.stringify(listing, null, values.compact ? undefined : 2)}\n`);
  return EXIT.ok;
}
