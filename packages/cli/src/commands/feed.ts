import { type FeedFormat, renderFeed } from '@tidings/feeds';
import { type ProfileChoice, parseListing } from '@tidings/parser';
import { EXIT, type Io, oneFile, pageCommandFlags, readPage, UsageError } from '../io.js';
import { noteListingRules, noteSkipped } from '../notes.js';
import { profileOption } from '../profile-option.js';

export const feedUsage = `  tidings feed <file|url> --url <page-url> [--format rss|atom|json] [--self <feed-url>] [--content-type <header>] [--profile <id>] [--render browser]
      A listing page → a feed document (default RSS), for static hosting with no server.`;

const FORMATS: readonly FeedFormat[] = ['rss', 'atom', 'json'];

export async function feedCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = pageCommandFlags(argv, {
    format: { type: 'string', default: 'rss' },
    self: { type: 'string' },
  });
  const file = oneFile(positionals);
  const format = values.format as FeedFormat;
  if (!FORMATS.includes(format))
    throw new UsageError(`--format must be rss, atom or json, not "${values.format}".`);
  if (values.url === undefined) {
    throw new UsageError('feed needs --url <page-url>: the feed links to the page it republishes.');
  }
  const input = await readPage(file, io, {
    allowPrivateNetwork: values['allow-private-network'] ?? false,
    render: values.render,
  });
  const contentType = values['content-type'] ?? input.contentType;
  const profile = await profileOption(values.profile, io);
  let chosenBy: ProfileChoice | undefined;
  const listing = parseListing(input.bytes, {
    url: values.url,
    ...(contentType ? { contentType } : {}),
    ...(profile !== undefined && { profile }),
    onProfile: (_profile, by) => {
      chosenBy = by;
    },
  });
  if (chosenBy === 'fallback') noteListingRules(values.url, chosenBy, listing.detection, io);
  noteSkipped(listing.skipped, io);
  const { source } = listing;
  const body = renderFeed(
    {
      title: source.section ? `${source.section} – ${source.name}` : source.name,
      homeUrl: source.url,
      author: { name: source.name },
      ...(values.self ? { selfUrl: values.self } : {}),
    },
    listing.articles,
    format,
  );
  io.stdout(body);
  return EXIT.ok;
}
