import { type ParseOptions, type ProfileChoice, parseArticle, parseListing } from '@tidings/parser';
import { EXIT, type Io, oneFile, pageCommandFlags, pageUrl, readPage, UsageError } from '../io.js';
import { noteArticleRules, noteListingRules, noteSkipped } from '../notes.js';
import { profileOption } from '../profile-option.js';

export const parseUsage = `  tidings parse <file|url> [--url <page-url>] [--content-type <header>] [--profile <id|auto|file.yaml>] [--render browser] [--compact]
      A listing page (HTML in any charset, or its text) → { source, articles, skipped, pages } as JSON;
      each skipped item (an unusable link, title or date) also gets a note on stderr. A URL is
      fetched politely (robots.txt, timeouts); --allow-private-network permits loopback and LAN hosts.
      A page no profile knows is read by detection (a note on stderr says so), as with --profile
      auto; a .yaml/.json file holds a written profile. --render browser reads a URL as Chromium
      renders it, for a list built by script (every request it makes fetched politely).
  tidings parse --article <file> --url <article-url> [--content-type <header>] [--profile <id>]
      An article page → one article as JSON (one no profile knows: by the generic rules).`;

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
  const input = await readPage(file, io, {
    allowPrivateNetwork: values['allow-private-network'] ?? false,
    render: values.render,
  });
  const url = pageUrl(values.url, input, file, io);
  const contentType = values['content-type'] ?? input.contentType;
  const profile = await profileOption(values.profile, io);
  let chosenBy: ProfileChoice | undefined;
  const options: ParseOptions = {
    url,
    ...(contentType ? { contentType } : {}),
    ...(profile !== undefined && { profile }),
    onProfile: (_profile, by) => {
      chosenBy = by;
    },
  };
  if (values.article !== undefined) {
    const article = parseArticle(input.bytes, options);
    noteArticleRules(url, chosenBy, io);
    io.stdout(`${JSON.stringify(article, null, values.compact ? undefined : 2)}\n`);
    return EXIT.ok;
  }
  // What detection chose is news for the reader, not part of the result: the JSON is the same as
  // with the profile written down.
  const { detection, ...listing } = parseListing(input.bytes, options);
  noteListingRules(url, chosenBy, detection, io);
  noteSkipped(listing.skipped, io);
  io.stdout(`${JSON.stringify(listing, null, values.compact ? undefined : 2)}\n`);
  return EXIT.ok;
}
