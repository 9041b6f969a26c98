import { type Article, autoProfile, type ListDetection, parseListing, profileToSpec } from '@tidings/parser';
import { Document, visit } from 'yaml';
import { EXIT, type Io, oneFile, pageCommandFlags, pageUrl, readPage, UsageError } from '../io.js';
import { noteSkipped } from '../notes.js';

export const detectUsage = `  tidings detect <file|url> [--url <page-url>] [--content-type <header>] [--render browser] [--items <n>] [--json]
      Finds the article list on a page no profile knows and prints a source entry for the config
      (YAML, ready to paste under sources:), with the blocks it weighed and the first items it read
      as comments. --json prints { source, detection, articles } instead.`;

export async function detectCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = pageCommandFlags(argv, {
    items: { type: 'string', default: '5' },
    json: { type: 'boolean' },
  });
  if (values.profile !== undefined) throw new UsageError('detect finds the profile itself; drop --profile.');
  const shown = Number(values.items);
  if (!Number.isInteger(shown) || shown < 0)
    throw new UsageError(`--items must be a whole number, not "${values.items}".`);
  const file = oneFile(positionals);
  const input = await readPage(file, io, {
    allowPrivateNetwork: values['allow-private-network'] ?? false,
    render: values.render,
  });
  const url = pageUrl(values.url, input, file, io);
  const contentType = values['content-type'] ?? input.contentType;
  const listing = parseListing(input.bytes, {
    url,
    ...(contentType ? { contentType } : {}),
    profile: 'auto',
  });
  const detection = listing.detection as ListDetection;
  noteSkipped(listing.skipped, io);
  const source = {
    id: suggestId(url),
    url,
    profile: profileToSpec({ ...autoProfile, list: detection.list }),
  };
  const articles = listing.articles.slice(0, shown);
  if (values.json) {
    io.stdout(`${JSON.stringify({ source, detection, articles }, replaceRegExp, 2)}\n`);
    return EXIT.ok;
  }
  io.stdout(`${comments(url, detection, articles, listing.articles.length)}${toYaml([source])}`);
  return EXIT.ok;
}

function comments(
  url: string,
  detection: ListDetection,
  articles: readonly Article[],
  total: number,
): string {
  const lines = [`tidings detect ${url}`, ''];
  lines.push('Blocks weighed (best first):');
  for (const candidate of detection.candidates) {
    const { withLink, withDate, titleLength } = candidate.signals;
    lines.push(
      `  ${candidate.item}  ${candidate.count} items, score ${candidate.score.toFixed(2)} ` +
        `(links ${percent(withLink)}, dates ${percent(withDate)}, title ~${Math.round(titleLength)} chars)`,
    );
  }
  lines.push('', `First ${articles.length} of ${total} articles:`);
  for (const article of articles) {
    lines.push(`  ${article.publishedAt}  ${article.title}`, `    ${article.url ?? '(no link)'}`);
  }
  lines.push('', 'Paste under `sources:` in the config, and pick the id:');
  return `${lines.map((line) => (line ? `# ${line}` : '#')).join('\n')}\n`;
}

/** YAML as a person writes a profile: each rule (`{ selector, attribute, pattern }`) on one line. */
function toYaml(value: unknown): string {
  const document = new Document(value);
  visit(document, {
    Map(_key, node) {
      if (node.items.some((pair) => String(pair.key) === 'selector')) node.flow = true;
    },
  });
  return document.toString({ lineWidth: 0 });
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

/** `…/JYXW/TJJY/` → `tjjy`: the last path segment, as an id the config accepts. */
function suggestId(url: string): string {
  const segments = new URL(url).pathname
    .split('/')
    .filter((segment) => segment && !/^index(_\d+)?\./i.test(segment));
  const last = (segments.at(-1) ?? new URL(url).hostname).replace(/\.[a-z]+$/i, '');
  const id = last
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  return id || 'news';
}

function replaceRegExp(_key: string, value: unknown): unknown {
  return value instanceof RegExp ? value.source : value;
}
