import fc from 'fast-check';
import { parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { type Article, parseArticle, parseListing, TidingsError } from '../src/index.js';
import { SECTION_URL, sectionPage } from './fixtures.js';

const page1 = sectionPage('index.html').toString('utf8');
const articleUrl = `${SECTION_URL}202412/t20241204_6797100.html`;
const articlePage = sectionPage('202412/t20241204_6797100.html').toString('utf8');

/** Markup an attacker (or a broken CMS) might put anywhere in a page. */
const hostile = fc.constantFrom(
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="  JAVASCRIPT:alert(1)">x</a>',
  '<svg onload=alert(1)>',
  '<iframe src="https://evil.example/"></iframe>',
  '<style>*{display:none}</style>',
  '<p onclick="x()">',
  '"><script>alert(1)</script>',
  '<!--',
  ']]>',
  '</li>',
  '<li>',
  '</ul>',
  '&nbsp;&#0;&#xD800;',
  '\u0000\u0001\u001f\ud800\ufffe',
  '<p class="list-date">2099-99-99</p>',
  'onclick="isDownLoad(this,\'javascript:alert(1)\')"',
);

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.nat({ max: 400 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(hostile, fc.string({ unit: 'binary' })),
  }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.nat({ max: 400 }) }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mangle(page: string, mutations: Mutation[]): string {
  let text = page;
  for (const change of mutations) {
    const at = change.at % (text.length + 1);
    if (change.kind === 'cut') text = text.slice(0, at);
    else if (change.kind === 'delete') text = text.slice(0, at) + text.slice(at + change.length);
    else if (change.kind === 'insert') text = text.slice(0, at) + change.text + text.slice(at);
    else text = text.slice(0, at) + text.slice(at, at + change.length) + text.slice(at);
  }
  return text;
}

/** Nothing in the output may run code: checked by parsing the HTML, not by grepping it. */
function expectInert(article: Article): void {
  const walk = (nodes: ReturnType<typeof parseDocument>['children']): void => {
    for (const node of nodes) {
      if (node.type === 'script' || node.type === 'style') throw new Error(`<${node.name}> in contentHtml`);
      if (node.type !== 'tag') continue;
      expect(['iframe', 'svg', 'object', 'embed', 'form', 'math']).not.toContain(node.name);
      for (const [name, value] of Object.entries(node.attribs)) {
        expect(name.startsWith('on')).toBe(false);
        if (name === 'href' || name === 'src') expect(value).toMatch(/^(https?:|mailto:)/);
      }
      walk(node.children);
    }
  };
  walk(parseDocument(article.contentHtml).children);
  for (const url of [
    article.url,
    ...article.images.map((i) => i.url),
    ...article.attachments.map((a) => a.url),
  ]) {
    if (url !== undefined) expect(url).toMatch(/^https?:\/\//);
  }
  for (const text of [article.title, article.summary, article.contentText]) {
    expect(text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
    expect(text.isWellFormed()).toBe(true);
  }
  expect([...article.summary].length).toBeLessThanOrEqual(120);
}

/** Runs a parse: a typed error is fine, any other throw fails; returns how many articles it checked. */
function onlyTypedErrors(run: () => Article[]): number {
  let articles: Article[];
  try {
    articles = run();
  } catch (error) {
    if (error instanceof TidingsError) return 0;
    throw error;
  }
  for (const article of articles) expectInert(article);
  return articles.length;
}

describe('property: mangled pages give articles that are safe, or a typed error', () => {
  it('listing pages, as strings and as bytes', () => {
    let checked = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.boolean(), (mutations, asBytes) => {
        const mangled = mangle(page1, mutations);
        const input = asBytes ? Buffer.from(mangled, 'utf8') : mangled;
        checked += onlyTypedErrors(
          () => parseListing(input, { url: `${SECTION_URL}index.html`, allowIncomplete: true }).articles,
        );
      }),
      { numRuns: 300 },
    );
    // Most mangled pages still parse: the property is exercised on real output, not only on errors.
    expect(checked).toBeGreaterThan(300);
  });

  it('article pages', () => {
    let checked = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (mutations) => {
        checked += onlyTypedErrors(() => [
          parseArticle(mangle(articlePage, mutations), { url: articleUrl, allowIncomplete: true }),
        ]);
      }),
      { numRuns: 300 },
    );
    expect(checked).toBeGreaterThan(100);
  });

  it('hostile markup inside an article body never survives', () => {
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 1, maxLength: 8 }), fc.string(), (pieces, filler) => {
        const body = `<p>${pieces.join(filler)}</p>`;
        const page = articlePage.replace('<div class="TRS_Editor">', `<div class="TRS_Editor">${body}`);
        expect(onlyTypedErrors(() => [parseArticle(page, { url: articleUrl })])).toBe(1);
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
        onlyTypedErrors(() => parseListing(bytes, { url: `${SECTION_URL}index.html` }).articles);
      }),
      { numRuns: 300 },
    );
  });

  it('random text in any Unicode, with control characters and lone surrogates', () => {
    const line = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.constantFrom('2024-12-04', '  • ·', '', '共3页', '\u3000\u3000'),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), fc.constantFrom('\n', '\r\n', '\r'), (lines, eol) => {
        onlyTypedErrors(() => parseListing(lines.join(eol), { url: SECTION_URL, form: 'text' }).articles);
      }),
      { numRuns: 300 },
    );
  });
});

describe('pathological input ends promptly (the suite timeout is the guard)', () => {
  it('a megabyte of spaces, tabs and CMS indents inside an item', () => {
    const padding = ' \u00a0\t\u3000'.repeat(256 * 1024);
    const page = page1.replace('<span class="text">', `<span class="text">${padding}x${padding}`);
    const result = parseListing(page, { url: `${SECTION_URL}index.html` });
    expect(result.articles[0]!.contentText.startsWith('x')).toBe(true);
  });

  it('a megabyte of unclosed comments and tags before the list', () => {
    const junk = '<!--<a '.repeat(150_000);
    expect(() => parseListing(junk + page1, { url: `${SECTION_URL}index.html` })).toThrow(TidingsError);
  });
});
