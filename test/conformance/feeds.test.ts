import { type FeedArticle, type FeedChannel, type FeedFormat, renderFeed } from '@tidings/feeds';
import { parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { SECTION_URL, snapshotArticles, textSeedArticles } from '../support/fixtures.js';
import { hostileArticles } from './hostile.js';
import { checkJsonFeedSchema, type ReadItem, readers, xmllint } from './readers.js';

const FORMATS: readonly FeedFormat[] = ['rss', 'atom', 'json'];

function channel(format: FeedFormat, homeUrl = SECTION_URL): FeedChannel {
  return {
    title: '天津教育 – 天津市教育委员会',
    description: '天津市教育委员会「天津教育」栏目',
    selfUrl: `http://127.0.0.1:3000/feeds/demo.${format}`,
    homeUrl,
    author: { name: '天津市教育委员会', url: 'https://jy.tj.gov.cn/' },
    refreshMinutes: 30,
    hub: 'http://127.0.0.1:3000/hub',
  };
}

function betweenTagsTrimmed(html: string): string {
  return html.replace(/>\s+</g, '><').trim();
}

/** Nothing a reader shows may run code. */
function expectInert(html: string): void {
  const walk = (nodes: ReturnType<typeof parseDocument>['children']) => {
    for (const node of nodes) {
      expect(node.type === 'script' || node.type === 'style', `<${'name' in node ? node.name : ''}>`).toBe(
        false,
      );
      if (node.type !== 'tag') continue;
      expect(['iframe', 'svg', 'object', 'embed', 'form', 'input']).not.toContain(node.name);
      for (const [name, value] of Object.entries(node.attribs)) {
        expect(name.startsWith('on'), `${name}="${value}"`).toBe(false);
        if (name === 'href' || name === 'src') expect(value).toMatch(/^(https?:|mailto:)/);
      }
      walk(node.children);
    }
  };
  walk(parseDocument(html).children);
}

function checkDocument(body: string, format: FeedFormat): void {
  if (format === 'json') checkJsonFeedSchema(body);
  else xmllint(body);
}

function expectSurvives(read: ReadItem[], articles: readonly FeedArticle[], homeUrl: string): void {
  expect(read).toHaveLength(articles.length);
  articles.forEach((article, index) => {
    const item = read[index] as ReadItem;
    expect(item.title).toBe(article.title);
    if (article.url) expect(item.link).toBe(new URL(article.url, homeUrl).href);
    expect(item.instant).toBe(Date.parse(article.publishedAt));
    // Exactly our HTML, up to whitespace between tags (feed-extractor's XML parser drops it).
    expect(betweenTagsTrimmed(item.content)).toBe(betweenTagsTrimmed(article.contentHtml));
  });
}

describe.each(FORMATS)('%s feeds of the snapshot, read by real readers', (format) => {
  const corpora = {
    'all 37 article pages': snapshotArticles(),
    'page 1 read from its text (no permalinks)': textSeedArticles(),
  };

  it.each(Object.entries(corpora))('are well-formed and valid: %s', (_name, articles) => {
    checkDocument(renderFeed(channel(format), articles, format), format);
  });

  for (const reader of readers.filter((candidate) => candidate.formats.includes(format))) {
    it.each(Object.entries(corpora))(
      `${reader.name} keeps every title, link, instant and content: %s`,
      async (_name, articles) => {
        const read = await reader.read(renderFeed(channel(format), articles, format), format);
        expectSurvives(read, articles, SECTION_URL);
        const ids = read.map((item) => item.id).filter((id) => id !== undefined && id !== '');
        expect(new Set(ids).size).toBe(ids.length);
      },
    );
  }
});

describe.each(FORMATS)('%s feeds of a hostile corpus', (format) => {
  const home = 'https://example.gov.cn/news/';
  const body = renderFeed(channel(format, home), hostileArticles, format);

  it('are well-formed and valid', () => {
    checkDocument(body, format);
  });

  it('carry no executable markup', () => {
    const contents =
      format === 'json'
        ? (JSON.parse(body) as { items: { content_html: string }[] }).items.map((item) => item.content_html)
        : [...body.matchAll(/<(?:content:encoded|content type="html")>([^<]*)</g)].map((match) =>
            (match[1] as string)
              .replace(/&lt;/g, '<')
              .replace(/&gt;/g, '>')
              .replace(/&quot;/g, '"')
              .replace(/&amp;/g, '&'),
          );
    expect(contents.length).toBeGreaterThan(0);
    for (const html of contents) expectInert(html);
  });

  for (const reader of readers.filter((candidate) => candidate.formats.includes(format))) {
    it(`${reader.name} accepts them; links and instants survive; nothing executable`, async () => {
      const read = await reader.read(body, format);
      expect(read).toHaveLength(hostileArticles.length);
      read.forEach((item, index) => {
        const article = hostileArticles[index] as FeedArticle;
        if (article.url) expect(item.link).toBe(new URL(article.url, home).href);
        expect(item.instant).toBe(Date.parse(article.publishedAt));
        expect(item.title.length).toBeGreaterThan(0);
        expectInert(item.content);
      });
    });
  }
});

describe.each(FORMATS)('%s archive documents (RFC 5005), read by real readers', (format) => {
  const articles = snapshotArticles();
  const archiveUrl = (month: string) => `http://127.0.0.1:3000/feeds/demo/archive/${month}.${format}`;
  const documents = {
    'a feed linking its newest archive': renderFeed(
      { ...channel(format), prevArchiveUrl: archiveUrl('2024-12') },
      articles.slice(0, 10),
      format,
    ),
    'an archive linking the feed and an older archive': renderFeed(
      {
        ...channel(format),
        selfUrl: archiveUrl('2024-12'),
        id: channel(format).selfUrl,
        hub: undefined,
        archive: true,
        currentUrl: channel(format).selfUrl,
        prevArchiveUrl: archiveUrl('2024-11'),
      },
      articles.slice(10, 17),
      format,
    ),
  };

  it.each(Object.entries(documents))('are well-formed and valid: %s', (_name, body) => {
    checkDocument(body, format);
  });

  for (const reader of readers.filter((candidate) => candidate.formats.includes(format))) {
    it.each(Object.entries(documents))(`${reader.name} reads every item: %s`, async (name, body) => {
      const read = await reader.read(body, format);
      const expected = name.startsWith('a feed') ? articles.slice(0, 10) : articles.slice(10, 17);
      expectSurvives(read, expected, SECTION_URL);
    });
  }
});
