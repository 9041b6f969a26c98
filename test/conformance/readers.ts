// Real feed readers, each wrapped to report what a subscriber would see of every item.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { extractFromJson, extractFromXml } from '@extractus/feed-extractor';
import { FEED_CONTENT_TYPES, type FeedFormat } from '@tidings/feeds';
import { Ajv } from 'ajv';
import formats, { type FormatsPlugin } from 'ajv-formats';
import { parseFeed } from 'feedsmith';
import Parser from 'rss-parser';

export interface ReadItem {
  id: string | undefined;
  title: string;
  link: string | undefined;
  /** Milliseconds since the epoch, as the reader understood the item's date. */
  instant: number;
  /** The full content as the reader hands it to its user (HTML). */
  content: string;
}

export interface Reader {
  name: string;
  formats: readonly FeedFormat[];
  /** Throws when the reader rejects the feed. */
  read: (body: string, format: FeedFormat) => Promise<ReadItem[]>;
}

const XML_FORMATS = ['rss', 'atom'] as const;
const ALL_FORMATS = ['rss', 'atom', 'json'] as const;

type Raw = Record<string, unknown>;
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const text = (value: unknown): string =>
  str(value) ?? str((value as Raw | undefined)?.value) ?? str((value as Raw | undefined)?.['#text']) ?? '';

const rssParser: Reader = {
  name: 'rss-parser',
  formats: XML_FORMATS,
  async read(body) {
    const feed = await new Parser().parseString(body);
    return feed.items.map((item) => ({
      id: item.guid ?? ((item as Raw).id as string | undefined),
      title: item.title ?? '',
      link: item.link,
      instant: Date.parse(item.isoDate ?? ''),
      content: str((item as Raw)['content:encoded']) ?? item.content ?? '',
    }));
  },
};

const feedExtractor: Reader = {
  name: '@extractus/feed-extractor',
  formats: ALL_FORMATS,
  async read(body, format) {
    const content = (raw: Raw) => ({
      content: text(raw['content:encoded'] ?? raw.content ?? raw.content_html),
    });
    const options = { useISODateFormat: true, descriptionMaxLen: 1_000_000, getExtraEntryFields: content };
    const feed =
      format === 'json' ? extractFromJson(JSON.parse(body), options) : extractFromXml(body, options);
    if (!feed.entries) throw new Error('feed-extractor found no entries');
    return feed.entries.map((entry) => {
      const extra = entry as unknown as Raw;
      return {
        id: entry.id,
        title: entry.title ?? '',
        link: entry.link,
        instant: Date.parse(String(entry.published ?? '')),
        content: text(extra.content),
      };
    });
  },
};

const feedsmith: Reader = {
  name: 'feedsmith',
  formats: ALL_FORMATS,
  async read(body, format) {
    const parsed = parseFeed(body) as { format: string; feed: Raw };
    if (parsed.format !== format) throw new Error(`feedsmith read a ${format} feed as ${parsed.format}`);
    if (format === 'rss') {
      return ((parsed.feed.items ?? []) as Raw[]).map((item) => ({
        id: text(item.guid),
        title: text(item.title),
        link: str(item.link),
        instant: Date.parse(text(item.pubDate)),
        content: text((item.content as Raw | undefined)?.encoded),
      }));
    }
    if (format === 'atom') {
      return ((parsed.feed.entries ?? []) as Raw[]).map((entry) => ({
        id: text(entry.id),
        title: text(entry.title),
        link: ((entry.links ?? []) as Raw[]).find((link) => link.rel === 'alternate')?.href as
          | string
          | undefined,
        instant: Date.parse(text(entry.published)),
        content: text(entry.content),
      }));
    }
    return ((parsed.feed.items ?? []) as Raw[]).map((item) => ({
      id: text(item.id),
      title: text(item.title),
      link: str(item.url),
      instant: Date.parse(text(item.date_published)),
      content: text(item.content_html),
    }));
  },
};

// Python's feedparser, the reference most Python readers embed. `bozo` means "not well-formed".
const FEEDPARSER_SCRIPT = `
import calendar, json, sys, feedparser
parsed = feedparser.parse(sys.stdin.buffer.read(), response_headers={"content-type": sys.argv[1]})
entries = [{
  "id": e.get("id"), "title": e.get("title", ""), "link": e.get("link"),
  "instant": calendar.timegm(e["published_parsed"]) * 1000 if e.get("published_parsed") else None,
  "content": (e.get("content") or [{}])[0].get("value") or "",
} for e in parsed.entries]
print(json.dumps({"bozo": bool(parsed.bozo), "error": str(parsed.get("bozo_exception", "")), "version": parsed.version, "entries": entries}))
`;

const feedparser: Reader = {
  name: 'python feedparser',
  // Debian's feedparser 6.0.10 has no JSON Feed parser (it reads any body as XML).
  formats: XML_FORMATS,
  async read(body, format) {
    // As served: feedparser picks its JSON Feed parser from the Content-Type, as it would over HTTP.
    const run = spawnSync('/usr/bin/python3', ['-c', FEEDPARSER_SCRIPT, FEED_CONTENT_TYPES[format]], {
      input: body,
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`feedparser failed: ${run.stderr}`);
    const result = JSON.parse(run.stdout) as {
      bozo: boolean;
      error: string;
      version: string;
      entries: ReadItem[];
    };
    if (result.bozo) throw new Error(`feedparser: bozo (${result.error})`);
    if (!result.version) throw new Error('feedparser did not recognise the feed');
    return result.entries.map((entry) => ({ ...entry, instant: entry.instant ?? Number.NaN }));
  },
};

export const readers: readonly Reader[] = [rssParser, feedExtractor, feedsmith, feedparser];

/** `xmllint --noout`: throws with libxml2's message when the document is not well-formed XML. */
export function xmllint(body: string): void {
  const run = spawnSync('xmllint', ['--noout', '-'], { input: body, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`xmllint: ${run.stderr.trim()}`);
}

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
// ajv-formats is CommonJS with a default export: under NodeNext its function sits on .default.
const addFormats = ((formats as unknown as { default?: FormatsPlugin }).default ?? formats) as FormatsPlugin;
addFormats(ajv);
const validateJsonFeed = ajv.compile(
  JSON.parse(readFileSync(new URL('./jsonfeed-1.1.schema.json', import.meta.url), 'utf8')) as object,
);

/** Validates a JSON Feed against the 1.1 schema; throws with every violation. */
export function checkJsonFeedSchema(body: string): void {
  if (!validateJsonFeed(JSON.parse(body))) {
    throw new Error(`JSON Feed 1.1 schema: ${ajv.errorsText(validateJsonFeed.errors)}`);
  }
}
