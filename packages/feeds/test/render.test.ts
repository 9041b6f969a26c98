import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type FeedArticle, type FeedChannel, FeedError, feedStylesheet, renderFeed } from '../src/index.js';

const channel: FeedChannel = {
  title: '天津教育 – 天津市教育委员会',
  selfUrl: 'https://feeds.example.org/feeds/demo.rss',
  homeUrl: 'https://jy.tj.gov.cn/JYXW/TJJY/',
  author: { name: '天津市教育委员会' },
  refreshMinutes: 30,
};

const article: FeedArticle = {
  id: 'https://jy.tj.gov.cn/JYXW/TJJY/202412/t20241204_6797100.html',
  url: 'https://jy.tj.gov.cn/JYXW/TJJY/202412/t20241204_6797100.html',
  title: '我市基础教育扩优提质高质量发展',
  publishedAt: '2024-12-04T09:00:00+08:00',
  datePrecision: 'minute',
  summary: '摘要。',
  contentText: '正文。',
  contentHtml: '<p>正文。</p>',
  images: [{ url: 'https://jy.tj.gov.cn/JYXW/TJJY/202412/W06797100_1.jpg' }],
  attachments: [
    { url: 'https://jy.tj.gov.cn/JYXW/TJJY/202412/P1.pdf', title: '附件.pdf', mimeType: 'application/pdf' },
  ],
  author: '天津日报',
  section: '天津教育',
  language: 'zh-CN',
};

const noPermalink: FeedArticle = { ...article, id: 'sha256:0123456789abcdef', url: undefined } as FeedArticle;
delete (noPermalink as { url?: string }).url;

const json = (body: string) =>
  JSON.parse(body) as Record<string, unknown> & { items: Record<string, unknown>[] };

describe('renderFeed covers what feed@6 got wrong', () => {
  it('drops XML-illegal characters and lone surrogates instead of emitting invalid XML', () => {
    const dirty = { ...article, title: 'a\u0000b\u0008c\u000bd\u001fe\ufffef\uffffg\ud800h\udc00i' };
    expect(renderFeed(channel, [dirty], 'rss')).toContain('<title>abcdefghi</title>');
    expect(renderFeed(channel, [dirty], 'atom')).toContain('<title type="text">abcdefghi</title>');
    expect(json(renderFeed(channel, [dirty], 'json')).items[0]?.title).toBe('abcdefghi');
  });

  it('escapes text instead of CDATA, so any number of "]]>" is harmless', () => {
    const body = renderFeed(
      channel,
      [{ ...article, title: 'x]]>y]]>z', contentHtml: '<p>a]]>b]]>c</p>' }],
      'rss',
    );
    expect(body).not.toContain('CDATA');
    expect(body).toContain('<title>x]]&gt;y]]&gt;z</title>');
    // The HTML itself says `]]&gt;` (the sanitizer re-encodes text), then it is escaped as XML text.
    expect(body).toContain('<content:encoded>&lt;p&gt;a]]&amp;gt;b]]&amp;gt;c&lt;/p&gt;</content:encoded>');
  });

  it('resolves relative links and gives non-URL ids a tag: URI instead of throwing', () => {
    const relative = { ...noPermalink, url: '202412/x.html' };
    expect(renderFeed(channel, [relative], 'rss')).toContain(
      '<link>https://jy.tj.gov.cn/JYXW/TJJY/202412/x.html</link>',
    );
    const atom = renderFeed(channel, [noPermalink], 'atom');
    expect(atom).toContain('<id>tag:jy.tj.gov.cn,2024-12-04:sha256%3A0123456789abcdef</id>');
    expect(renderFeed(channel, [noPermalink], 'rss')).toContain(
      '<guid isPermaLink="false">tag:jy.tj.gov.cn,2024-12-04:sha256%3A0123456789abcdef</guid>',
    );
    expect(json(renderFeed(channel, [noPermalink], 'json')).items[0]?.id).toBe(
      'tag:jy.tj.gov.cn,2024-12-04:sha256%3A0123456789abcdef',
    );
  });

  it('keeps line breaks in text exactly: indentation never reaches into it', () => {
    const body = renderFeed(channel, [{ ...article, contentHtml: '<p>a</p>\n<p>b</p>' }], 'rss');
    expect(body).toContain('<content:encoded>&lt;p&gt;a&lt;/p&gt;\n&lt;p&gt;b&lt;/p&gt;</content:encoded>');
  });

  it('indents elements by depth', () => {
    const body = renderFeed(channel, [article], 'rss');
    expect(body).toContain('\n  <channel>\n    <title>');
    expect(body).toContain('\n    <item>\n      <title>');
  });

  it('gives Atom a feed id without being told one', () => {
    expect(renderFeed(channel, [article], 'atom')).toContain(
      '<id>https://feeds.example.org/feeds/demo.rss</id>',
    );
    expect(renderFeed({ ...channel, id: 'tag:example.org,2024:demo' }, [], 'atom')).toContain(
      '<id>tag:example.org,2024:demo</id>',
    );
  });

  it('writes JSON Feed 1.1: plural authors, language, hubs', () => {
    const feed = json(renderFeed({ ...channel, hub: 'https://hub.example.org/' }, [article], 'json'));
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.authors).toEqual([{ name: '天津市教育委员会' }]);
    expect(feed.author).toBeUndefined();
    expect(feed.language).toBe('zh-CN');
    expect(feed.hubs).toEqual([{ type: 'WebSub', url: 'https://hub.example.org/' }]);
    expect(feed.items[0]).toMatchObject({
      id: article.url,
      authors: [{ name: '天津日报' }],
      tags: ['天津教育'],
      image: article.images[0]?.url,
      attachments: [{ url: article.attachments[0]?.url, mime_type: 'application/pdf', title: '附件.pdf' }],
      date_published: '2024-12-04T09:00:00+08:00',
    });
  });

  it('puts a name-only author in dc:creator, never in RSS <author>', () => {
    const body = renderFeed(channel, [article], 'rss');
    expect(body).toContain('<dc:creator>天津日报</dc:creator>');
    expect(body).not.toContain('<author>');
  });

  it('takes lastBuildDate and updated from the data, so the same input gives the same bytes', () => {
    for (const format of ['rss', 'atom', 'json'] as const) {
      const first = renderFeed(channel, [article, noPermalink], format);
      const again = renderFeed(structuredClone(channel), structuredClone([article, noPermalink]), format);
      expect(again).toBe(first);
    }
    expect(renderFeed(channel, [article], 'rss')).toContain(
      '<lastBuildDate>Wed, 04 Dec 2024 09:00:00 +0800</lastBuildDate>',
    );
    expect(renderFeed(channel, [article], 'atom')).toContain('<updated>2024-12-04T09:00:00+08:00</updated>');
  });

  it('keeps the instant and the source offset: +0800 in pubDate, +08:00 in Atom and JSON', () => {
    expect(renderFeed(channel, [article], 'rss')).toContain(
      '<pubDate>Wed, 04 Dec 2024 09:00:00 +0800</pubDate>',
    );
    expect(renderFeed(channel, [article], 'atom')).toContain(
      '<published>2024-12-04T09:00:00+08:00</published>',
    );
    const utc = { ...article, publishedAt: '2024-12-04T01:00:00.000Z' };
    expect(renderFeed(channel, [utc], 'rss')).toContain('<pubDate>Wed, 04 Dec 2024 01:00:00 +0000</pubDate>');
  });
});

describe('renderFeed per format', () => {
  it('RSS: self link, permalink guid, summary as description, full HTML, category, ttl, language', () => {
    const body = renderFeed({ ...channel, hub: 'https://hub.example.org/' }, [article], 'rss');
    for (const part of [
      '<atom:link rel="self" type="application/rss+xml" href="https://feeds.example.org/feeds/demo.rss"/>',
      '<atom:link rel="hub" href="https://hub.example.org/"/>',
      `<guid isPermaLink="true">${article.url}</guid>`,
      '<description>摘要。</description>',
      '<content:encoded>&lt;p&gt;正文。&lt;/p&gt;</content:encoded>',
      '<category>天津教育</category>',
      '<language>zh-CN</language>',
      '<ttl>30</ttl>',
    ]) {
      expect(body).toContain(part);
    }
  });

  it('Atom: self and alternate links, xml:lang, author, summary and html content, enclosures', () => {
    const body = renderFeed(channel, [article], 'atom');
    for (const part of [
      '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
      '<link rel="self" type="application/atom+xml" href="https://feeds.example.org/feeds/demo.rss"/>',
      '<link rel="alternate" type="text/html" href="https://jy.tj.gov.cn/JYXW/TJJY/"/>',
      '<name>天津市教育委员会</name>',
      '<summary type="text">摘要。</summary>',
      '<content type="html">&lt;p&gt;正文。&lt;/p&gt;</content>',
      '<link rel="enclosure" type="application/pdf" href="https://jy.tj.gov.cn/JYXW/TJJY/202412/P1.pdf" title="附件.pdf"/>',
    ]) {
      expect(body).toContain(part);
    }
  });

  it('an empty feed is still a valid, dated document', () => {
    expect(renderFeed({ ...channel, updated: '2024-12-05T10:00:00+08:00' }, [], 'atom')).toContain(
      '<updated>2024-12-05T10:00:00+08:00</updated>',
    );
    expect(json(renderFeed(channel, [], 'json')).items).toEqual([]);
  });

  it('sanitizes content HTML it is given, whoever produced it', () => {
    const body = renderFeed(
      channel,
      [{ ...article, contentHtml: '<p onclick="x()">a<script>b</script><a href="javascript:c">d</a></p>' }],
      'json',
    );
    expect(json(body).items[0]?.content_html).toBe('<p>a<a>d</a></p>');
  });

  it('refuses a relative channel URL, an unknown format and an unreadable date with a FeedError', () => {
    expect(() => renderFeed({ ...channel, homeUrl: '/news/' }, [], 'rss')).toThrow(FeedError);
    expect(() => renderFeed(channel, [], 'xml' as never)).toThrow(/Unknown feed format "xml"/);
    expect(() => renderFeed(channel, [{ ...article, publishedAt: 'yesterday' }], 'rss')).toThrow(FeedError);
  });
});

describe('RFC 5005 archived feeds', () => {
  const feedUrl = (format: string) => `https://feeds.example.org/feeds/demo.${format}`;
  const archiveUrl = (month: string, format: string) =>
    `https://feeds.example.org/feeds/demo/archive/${month}.${format}`;
  const subscription = (format: string): FeedChannel => ({
    ...channel,
    selfUrl: feedUrl(format),
    prevArchiveUrl: archiveUrl('2024-12', format),
  });
  const archiveDocument = (format: string): FeedChannel => ({
    ...channel,
    selfUrl: archiveUrl('2024-12', format),
    id: feedUrl(format),
    archive: true,
    currentUrl: feedUrl(format),
    prevArchiveUrl: archiveUrl('2024-11', format),
  });

  it('Atom: prev-archive on the feed; current, prev-archive and fh:archive on an archive', () => {
    const feed = renderFeed(subscription('atom'), [article], 'atom');
    expect(feed).toContain(
      '<link rel="prev-archive" href="https://feeds.example.org/feeds/demo/archive/2024-12.atom" type="application/atom+xml"/>',
    );
    expect(feed).not.toContain('fh:');
    const archive = renderFeed(archiveDocument('atom'), [article], 'atom');
    expect(archive).toMatch(
      /^<feed xmlns="http:\/\/www.w3.org\/2005\/Atom" xmlns:fh="http:\/\/purl.org\/syndication\/history\/1.0"/m,
    );
    expect(archive).toContain('<id>https://feeds.example.org/feeds/demo.atom</id>');
    expect(archive).toContain(
      '<link rel="current" href="https://feeds.example.org/feeds/demo.atom" type="application/atom+xml"/>',
    );
    expect(archive).toContain('href="https://feeds.example.org/feeds/demo/archive/2024-11.atom"');
    expect(archive).toContain('  <fh:archive/>\n');
  });

  it('RSS: the same links as atom:link, fh:archive in the channel', () => {
    const feed = renderFeed(subscription('rss'), [article], 'rss');
    expect(feed).toContain(
      '<atom:link rel="prev-archive" href="https://feeds.example.org/feeds/demo/archive/2024-12.rss" type="application/rss+xml"/>',
    );
    expect(feed).not.toContain('fh:');
    const archive = renderFeed(archiveDocument('rss'), [article], 'rss');
    expect(archive).toContain('xmlns:fh="http://purl.org/syndication/history/1.0"');
    expect(archive).toContain('<atom:link rel="current" href="https://feeds.example.org/feeds/demo.rss"');
    expect(archive).toContain('    <fh:archive/>\n');
  });

  it('JSON Feed: next_url is the older document; _archive carries the links and the flag', () => {
    const feed = json(renderFeed(subscription('json'), [article], 'json'));
    expect(feed.next_url).toBe(archiveUrl('2024-12', 'json'));
    expect(feed._archive).toEqual({
      about: 'https://www.rfc-editor.org/rfc/rfc5005#section-4',
      prev_archive: archiveUrl('2024-12', 'json'),
    });
    const archive = json(
      renderFeed({ ...archiveDocument('json'), prevArchiveUrl: undefined }, [article], 'json'),
    );
    expect(archive.next_url).toBeUndefined();
    expect(archive._archive).toEqual({
      about: 'https://www.rfc-editor.org/rfc/rfc5005#section-4',
      archive: true,
      current: feedUrl('json'),
    });
  });

  it('leaves a feed without history exactly as before: no namespace, no links, no extension', () => {
    for (const format of ['rss', 'atom', 'json'] as const) {
      const body = renderFeed(channel, [article], format);
      expect(body).not.toMatch(/archive|fh:|next_url|rel="current"/);
    }
  });

  it('refuses a relative archive link, or one pointing at the document itself', () => {
    expect(() =>
      renderFeed({ ...channel, prevArchiveUrl: '/feeds/demo/archive/2024-11.rss' }, [], 'rss'),
    ).toThrow(/channel.prevArchiveUrl must be an absolute/);
    expect(() => renderFeed({ ...channel, prevArchiveUrl: channel.selfUrl }, [], 'json')).toThrow(
      /must not be the document's own URL/,
    );
  });
});

describe('feedStylesheet', () => {
  it('turns RSS and Atom into a readable page with a subscribe hint (xsltproc)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tidings-xsl-'));
    writeFileSync(join(dir, 'feed.xsl'), feedStylesheet);
    for (const format of ['rss', 'atom'] as const) {
      const feed = join(dir, `feed.${format}`);
      writeFileSync(feed, renderFeed({ ...channel, stylesheet: 'feed.xsl' }, [article], format));
      const run = spawnSync('xsltproc', [join(dir, 'feed.xsl'), feed], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain('请复制地址栏中的网址');
      expect(run.stdout).toContain(`<a href="${article.url}">${article.title}</a>`);
      expect(run.stdout).toContain('<h1>天津教育 – 天津市教育委员会</h1>');
    }
  });
});
