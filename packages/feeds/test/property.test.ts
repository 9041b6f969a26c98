import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { DomUtils, parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { type FeedArticle, type FeedChannel, FeedError, type FeedFormat, renderFeed } from '../src/index.js';
import { clearSanitizeCache } from '../src/sanitize-cache.js';

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

/** Any UTF-16: control characters, lone surrogates, U+FFFE/FFFF. */
const binary = fc.string({ unit: 'binary', maxLength: 24 });

const HOSTILE = [
  ']]>',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '&',
  '&amp;',
  '&#0;',
  '<a href="javascript:alert(1)">x</a>',
  '<![CDATA[',
  '<?xml version="1.0"?>',
  '"\'<>',
  '\r\n',
];

/** Extra markup aimed at the HTML sanitizer. */
const HOSTILE_HTML = [
  ...HOSTILE,
  '<p>',
  '</p>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href=" javascript:alert(1)">x</a>',
  '<a href="java&#x09;script:alert(1)">x</a>',
  '<a href="java\tscript:alert(1)">x</a>',
  '<a href="data:text/html,<script>alert(1)</script>">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="mailto:a@example.org">m</a>',
  '<a href="relative/page.html">r</a>',
  '<a href="//evil.example/">p</a>',
  '<img src="javascript:alert(1)">',
  '<img src="/x.png" alt="a&quot;b">',
  '<style>body{background:url(javascript:alert(1))}</style>',
  '<svg onload=alert(1)>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<p onclick="alert(1)" style="x">p</p>',
  '<scr<script>ipt>alert(1)</script>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<!-- <script>alert(1)</script> -->',
  '<a href="https://example.org/?a=1&b=2" title="t">ok</a>',
];

/** Binary strings, sometimes spliced with hostile snippets. */
function spliced(snippets: readonly string[]) {
  return fc.oneof(
    { weight: 1, arbitrary: binary },
    {
      weight: 2,
      arbitrary: fc
        .array(fc.oneof(binary, fc.constantFrom(...snippets)), { maxLength: 6 })
        .map((parts) => parts.join('')),
    },
  );
}

const text = spliced(HOSTILE);
const html = spliced(HOSTILE_HTML);

/** Absolute, relative, and garbage URLs. */
const anyUrl = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.constantFrom(
    '202412/x.html',
    '/abs/path',
    '../up',
    '?q=1',
    '#frag',
    'javascript:alert(1)',
    'mailto:a@b',
  ),
  fc.constantFrom('ftp://example.org/f', 'data:text/plain,x', '//host.example/p', 'http://', 'https://[::1'),
  binary,
  binary.map((s) => `https://example.org/${s}`),
  binary.map((s) => `${s}https://example.org/`),
);

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYY-MM-DDTHH:MM:SS±HH:MM`, local time at the given offset. */
function isoWithOffset(date: Date, offsetMinutes: number): string {
  const local = new Date(date.getTime() + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return (
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

const instant = fc
  .tuple(
    fc.date({
      min: new Date('1990-01-01T00:00:00Z'),
      max: new Date('2100-12-31T23:59:59Z'),
      noInvalidDate: true,
    }),
    fc.integer({ min: -48, max: 56 }).map((steps) => steps * 15),
  )
  .map(([date, offset]) => ({
    iso: isoWithOffset(date, offset),
    time: Math.floor(date.getTime() / 1000) * 1000,
  }));

const articleArb: fc.Arbitrary<FeedArticle> = fc
  .record({
    idKind: fc.constantFrom('url', 'web', 'text'),
    webId: fc.webUrl(),
    textId: text,
    url: fc.option(anyUrl, { nil: undefined }),
    title: text,
    published: instant,
    updated: fc.option(instant, { nil: undefined }),
    datePrecision: fc.constantFrom('day', 'minute', 'second'),
    summary: text,
    contentText: text,
    contentHtml: html,
    images: fc.array(fc.record({ url: anyUrl, alt: fc.option(text, { nil: undefined }) }), { maxLength: 2 }),
    attachments: fc.array(
      fc.record({ url: anyUrl, title: text, mimeType: fc.option(binary, { nil: undefined }) }),
      { maxLength: 2 },
    ),
    author: fc.option(text, { nil: undefined }),
    section: fc.option(text, { nil: undefined }),
    language: fc.oneof(fc.constantFrom('zh-CN', 'en', ''), binary),
  })
  .map((r) => {
    const article: FeedArticle = {
      id: r.idKind === 'url' && r.url !== undefined ? r.url : r.idKind === 'web' ? r.webId : r.textId,
      title: r.title,
      publishedAt: r.published.iso,
      datePrecision: r.datePrecision,
      summary: r.summary,
      contentText: r.contentText,
      contentHtml: r.contentHtml,
      images: r.images.map((image) => (image.alt === undefined ? { url: image.url } : image)),
      attachments: r.attachments.map((a) => (a.mimeType === undefined ? { url: a.url, title: a.title } : a)),
      language: r.language,
    };
    if (r.url !== undefined) article.url = r.url;
    if (r.updated !== undefined) article.updatedAt = r.updated.iso;
    if (r.author !== undefined) article.author = r.author;
    if (r.section !== undefined) article.section = r.section;
    return article;
  });

const channelArb: fc.Arbitrary<FeedChannel> = fc.record(
  {
    title: text,
    description: text,
    homeUrl: fc.webUrl(),
    selfUrl: fc.webUrl(),
    id: fc.oneof(fc.webUrl(), text),
    language: fc.constantFrom('zh-CN', 'en-US'),
    author: fc.record({ name: text, url: fc.webUrl() }, { requiredKeys: ['name'] }),
    refreshMinutes: fc.integer({ min: 1, max: 1440 }),
    hub: fc.webUrl(),
    stylesheet: fc.oneof(fc.constant('/feed.xsl'), text),
    updated: instant.map((i) => i.iso),
  },
  { requiredKeys: ['title', 'homeUrl'] },
);

const feedInput = fc.record({ channel: channelArb, articles: fc.array(articleArb, { maxLength: 4 }) });

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

type Outcome = { ok: true; body: string } | { ok: false; error: unknown };

function attempt(channel: FeedChannel, articles: readonly FeedArticle[], format: FeedFormat): Outcome {
  try {
    return { ok: true, body: renderFeed(channel, articles, format) };
  } catch (error) {
    return { ok: false, error };
  }
}

let linksSeen = 0;

/** What makes a piece of HTML able to run code; empty when it is inert. */
function htmlProblems(markup: string): string[] {
  const problems: string[] = [];
  for (const element of DomUtils.findAll(() => true, parseDocument(markup).children)) {
    const name = element.name.toLowerCase();
    if (['script', 'style', 'iframe', 'object', 'embed', 'svg', 'math'].includes(name)) {
      problems.push(`<${name}> element`);
    }
    for (const [attribute, value] of Object.entries(element.attribs)) {
      if (/^on/i.test(attribute)) problems.push(`${attribute} attribute on <${name}>`);
      if (/^(href|src)$/i.test(attribute)) linksSeen++;
      if (/^(href|src)$/i.test(attribute) && !/^(https?:|mailto:)/i.test(value)) {
        problems.push(`${attribute}="${value}" on <${name}>`);
      }
    }
  }
  return problems;
}

const show = (value: unknown) => JSON.stringify(value);

interface XmlVerdict {
  ok: boolean;
  error?: string;
  contents: string[];
}

const PYTHON = `
import json, sys
import xml.etree.ElementTree as ET
CONTENT = ('{http://purl.org/rss/1.0/modules/content/}encoded', '{http://www.w3.org/2005/Atom}content')
out = []
for doc in json.load(sys.stdin):
    try:
        root = ET.fromstring(doc.encode('utf-8'))
        out.append({'ok': True, 'contents': [el.text or '' for el in root.iter() if el.tag in CONTENT]})
    except Exception as e:
        out.append({'ok': False, 'error': type(e).__name__ + ': ' + str(e), 'contents': []})
json.dump(out, sys.stdout)
`;

/** Parses every document with Python's xml.etree (expat); returns each one's HTML contents. */
function parseWithPython(docs: readonly string[]): XmlVerdict[] {
  const run = spawnSync('/usr/bin/python3', ['-c', PYTHON], {
    input: JSON.stringify(docs),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as XmlVerdict[];
}

/** Checks every document with xmllint in one call; returns the indexes of rejected ones. */
function rejectedByXmllint(docs: readonly string[]): { failed: number[]; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-feeds-prop-'));
  try {
    const files = docs.map((doc, i) => {
      const file = join(dir, `${i}.xml`);
      writeFileSync(file, doc, 'utf8');
      return file;
    });
    const run = spawnSync('/usr/bin/xmllint', ['--noout', '--nonet', ...files], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.status === 0) return { failed: [], stderr: '' };
    const failed = new Set<number>();
    for (const match of run.stderr.matchAll(/([0-9]+)\.xml:[0-9]+:/g)) failed.add(Number(match[1]));
    if (failed.size === 0) failed.add(-1); // xmllint failed without naming a file
    return { failed: [...failed], stderr: run.stderr.slice(0, 4000) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const RUNS = Number(process.env.FEEDS_PROPERTY_RUNS ?? 200);

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

describe('renderFeed properties (fast-check)', () => {
  it('has oracles that reject what they should (negative controls)', () => {
    const bad = '<?xml version="1.0" encoding="utf-8"?>\n<a>\u0001</a>\n';
    const good =
      '<?xml version="1.0" encoding="utf-8"?>\n<a xmlns:c="http://purl.org/rss/1.0/modules/content/"><c:encoded>&lt;p&gt;x&lt;/p&gt;</c:encoded></a>\n';
    expect(rejectedByXmllint([good, bad]).failed).toEqual([1]);
    const verdicts = parseWithPython([good, bad]);
    expect(verdicts.map((verdict) => verdict.ok)).toEqual([true, false]);
    expect(verdicts[0]?.contents).toEqual(['<p>x</p>']);
    expect(
      htmlProblems('<p onclick="x">a<script>b</script><a href="javascript:c">d</a><img src="/x"></p>'),
    ).toEqual([
      'onclick attribute on <p>',
      '<script> element',
      'href="javascript:c" on <a>',
      'src="/x" on <img>',
    ]);
    expect(htmlProblems('<p><a href="https://a.example/">a</a><a href="mailto:a@b">b</a></p>')).toEqual([]);
  });

  it('returns a string or throws a FeedError, and almost always returns for valid dates', () => {
    let runs = 0;
    let returned = 0;
    fc.assert(
      fc.property(
        feedInput,
        fc.constantFrom<FeedFormat>('rss', 'atom', 'json'),
        ({ channel, articles }, format) => {
          runs++;
          const outcome = attempt(channel, articles, format);
          if (!outcome.ok) {
            if (!(outcome.error instanceof FeedError)) throw outcome.error;
            return;
          }
          expect(typeof outcome.body).toBe('string');
          returned++;
        },
      ),
      { numRuns: RUNS * 2 },
    );
    expect(returned / runs).toBeGreaterThanOrEqual(0.9);
  });

  it('RSS and Atom are well-formed XML (xmllint and Python expat); JSON is JSON Feed 1.1', () => {
    const docs: { format: FeedFormat; body: string; input: unknown }[] = [];
    fc.assert(
      fc.property(feedInput, ({ channel, articles }) => {
        for (const format of ['rss', 'atom'] as const) {
          const outcome = attempt(channel, articles, format);
          if (!outcome.ok) {
            if (!(outcome.error instanceof FeedError)) throw outcome.error;
            continue;
          }
          // Lone surrogates would be silently replaced when the document is written out as UTF-8.
          expect(outcome.body.isWellFormed(), 'document is not well-formed UTF-16').toBe(true);
          expect(outcome.body.startsWith('<?xml version="1.0" encoding="utf-8"?>\n')).toBe(true);
          docs.push({ format, body: outcome.body, input: { channel, articles } });
        }
        const outcome = attempt(channel, articles, 'json');
        if (!outcome.ok) {
          if (!(outcome.error instanceof FeedError)) throw outcome.error;
          return;
        }
        const feed = JSON.parse(outcome.body) as Record<string, unknown>;
        expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
        expect(typeof feed.title).toBe('string');
        expect(Array.isArray(feed.items)).toBe(true);
        const items = feed.items as Record<string, unknown>[];
        expect(items).toHaveLength(articles.length);
        items.forEach((item, i) => {
          expect(typeof item.id).toBe('string');
          expect((item.id as string).length).toBeGreaterThan(0);
          expect(typeof item.content_html === 'string' || typeof item.content_text === 'string').toBe(true);
          for (const key of ['content_html', 'content_text'] as const) {
            if (key in item) expect(typeof item[key]).toBe('string');
          }
          // The instant survives with its offset.
          const published = item.date_published as string;
          expect(published).toBe(articles[i]!.publishedAt);
        });
      }),
      { numRuns: RUNS },
    );
    expect(docs.length).toBeGreaterThan(RUNS); // most runs gave both XML formats

    const lint = rejectedByXmllint(docs.map((doc) => doc.body));
    expect(
      lint.failed,
      `xmllint rejected ${lint.failed.length} documents, e.g. ${show(docs[lint.failed[0]!]?.input)}\n${lint.stderr}`,
    ).toEqual([]);

    const verdicts = parseWithPython(docs.map((doc) => doc.body));
    expect(verdicts).toHaveLength(docs.length);
    const bad = verdicts.flatMap((verdict, i) => (verdict.ok ? [] : [i]));
    expect(
      bad,
      `expat rejected ${bad.length} documents, e.g. ${verdicts[bad[0]!]?.error} for ${show(docs[bad[0]!]?.input)}`,
    ).toEqual([]);
  });

  it('leaves no executable markup in item HTML (content:encoded, Atom content, content_html)', () => {
    const xmlDocs: { body: string; input: unknown }[] = [];
    let checked = 0;
    fc.assert(
      fc.property(fc.array(articleArb, { minLength: 1, maxLength: 4 }), channelArb, (articles, channel) => {
        for (const format of ['rss', 'atom'] as const) {
          const outcome = attempt(channel, articles, format);
          if (outcome.ok) xmlDocs.push({ body: outcome.body, input: { channel, articles } });
        }
        const outcome = attempt(channel, articles, 'json');
        if (!outcome.ok) return;
        for (const item of (JSON.parse(outcome.body) as { items: { content_html?: string }[] }).items) {
          if (item.content_html === undefined) continue;
          checked++;
          expect(htmlProblems(item.content_html), item.content_html).toEqual([]);
        }
      }),
      { numRuns: RUNS },
    );
    expect(checked).toBeGreaterThan(RUNS);

    const verdicts = parseWithPython(xmlDocs.map((doc) => doc.body));
    let contents = 0;
    verdicts.forEach((verdict, i) => {
      expect(verdict.ok, `${verdict.error} for ${show(xmlDocs[i]?.input)}`).toBe(true);
      for (const content of verdict.contents) {
        contents++;
        expect(htmlProblems(content), `${content}\nfrom ${show(xmlDocs[i]?.input)}`).toEqual([]);
      }
    });
    expect(contents).toBeGreaterThan(RUNS);
    expect(linksSeen).toBeGreaterThan(0); // links do survive sanitizing, so the href/src check is not vacuous
  });

  it('is deterministic: same input, a structured clone, and a cold sanitizer cache give the same bytes', () => {
    fc.assert(
      fc.property(
        feedInput,
        fc.constantFrom<FeedFormat>('rss', 'atom', 'json'),
        ({ channel, articles }, format) => {
          const first = attempt(channel, articles, format);
          const again = attempt(channel, articles, format);
          const cloned = attempt(structuredClone(channel), structuredClone(articles), format);
          clearSanitizeCache();
          const cold = attempt(channel, articles, format);
          for (const outcome of [again, cloned, cold]) {
            expect(outcome.ok).toBe(first.ok);
            if (first.ok && outcome.ok) expect(outcome.body).toBe(first.body);
            if (!first.ok && !outcome.ok) expect(String(outcome.error)).toBe(String(first.error));
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
