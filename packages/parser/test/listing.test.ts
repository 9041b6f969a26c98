import { describe, expect, it } from 'vitest';
import { type Article, type ListingResult, parseListing } from '../src/index.js';
import { expectedPage1, fixtureBytes, SECTION_URL, sectionPage } from './fixtures.js';

const PAGE1_URL = `${SECTION_URL}index.html`;

function expectPage1Items(articles: Article[], { withLinks }: { withLinks: boolean }): void {
  expect(articles).toHaveLength(expectedPage1.length);
  articles.forEach((article, index) => {
    const expected = expectedPage1[index]!;
    expect(article.title).toBe(expected.title);
    expect(article.publishedAt).toBe(`${expected.date}T00:00:00+08:00`);
    expect(article.datePrecision).toBe('day');
    expect(article.contentText.startsWith(expected.textStartsWith)).toBe(true);
    expect(article.contentText.endsWith(expected.textEndsWith)).toBe(true);
    expect(article.section).toBe('天津教育');
    expect(article.language).toBe('zh-CN');
    if (withLinks) {
      expect(article.url).toBe(expected.link);
      expect(article.id).toBe(expected.link);
    }
  });
}

describe('parseListing on page 1 of 天津教育', () => {
  const fromHtml = parseListing(sectionPage('index.html'), { url: PAGE1_URL });

  it('reads the UTF-8 HTML page: 15 articles as expected-page1.json says', () => {
    expectPage1Items(fromHtml.articles, { withLinks: true });
    expect(fromHtml.source).toEqual({ name: '天津市教育委员会', section: '天津教育', url: PAGE1_URL });
    expect(fromHtml.pages).toEqual({
      current: 1,
      total: 3,
      urls: [`${SECTION_URL}index.html`, `${SECTION_URL}index_1.html`, `${SECTION_URL}index_2.html`],
      next: `${SECTION_URL}index_1.html`,
    });
  });

  it('reads the GB18030 page declared gb2312 to the same result', () => {
    const fromGb = parseListing(fixtureBytes('encodings/index.gb18030.html'), { url: PAGE1_URL });
    expect(fromGb).toEqual(fromHtml);
  });

  it('reads GB18030 with no declaration at all by detection', () => {
    const bytes = fixtureBytes('encodings/index.gb18030.html');
    const undeclared = Buffer.from(bytes.toString('latin1').replace(/; charset=gb2312/, ''), 'latin1');
    expect(undeclared.toString('latin1')).not.toMatch(/charset/i);
    expect(parseListing(undeclared, { url: PAGE1_URL })).toEqual(fromHtml);
  });

  it('lets the Content-Type charset outrank <meta>, and a BOM outrank both', () => {
    const utf8 = sectionPage('index.html');
    const mislabelled = Buffer.from(
      utf8.toString('latin1').replace('charset=utf-8', 'charset=gb2312'),
      'latin1',
    );
    expect(parseListing(mislabelled, { url: PAGE1_URL, contentType: 'text/html; charset=UTF-8' })).toEqual(
      fromHtml,
    );
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), mislabelled]);
    expect(parseListing(withBom, { url: PAGE1_URL, contentType: 'text/html; charset=gbk' })).toEqual(
      fromHtml,
    );
  });

  it('reads an already-decoded HTML string the same', () => {
    expect(parseListing(sectionPage('index.html').toString('utf8'), { url: PAGE1_URL })).toEqual(fromHtml);
  });

  it('reads the page as text (the seed) to the same titles, dates and texts', () => {
    const text = fixtureBytes('seed/listing.txt');
    const fromText = parseListing(text, { url: SECTION_URL });
    expectPage1Items(fromText.articles, { withLinks: false });
    expect(fromText.source).toEqual({ name: '天津市教育委员会', section: '天津教育', url: SECTION_URL });
    fromText.articles.forEach((article, index) => {
      const html = fromHtml.articles[index]!;
      expect(article.contentText).toBe(html.contentText);
      expect(article.summary).toBe(html.summary);
      // The text carries no links: ids are stable hashes instead.
      expect(article.url).toBeUndefined();
      expect(article.id).toMatch(/^sha256:[0-9a-f]{32}$/);
    });
    expect(new Set(fromText.articles.map((article) => article.id)).size).toBe(15);
  });

  it('reads the text with CRLF line ends, and again to the same ids', () => {
    const lf = fixtureBytes('seed/listing.txt').toString('utf8');
    const crlf = lf.replace(/\n/g, '\r\n');
    expect(parseListing(crlf, { url: SECTION_URL })).toEqual(parseListing(lf, { url: SECTION_URL }));
  });

  it('keeps links, page count and position when the text is a lynx dump with references', () => {
    const lynx = [
      '您当前的位置: 首页 > 教育动态 > 天津教育',
      '  • [1]我市基础教育扩优提质高质量发展',
      '    2024-12-04',
      '    自2008年以来,我市紧紧围绕公平普惠这条主线。',
      '  • [2]全国中小学科学教育实验校成果经验交流会在津举行',
      '    2024-12-04',
      '   首页 共3页 当前第1页 [3]下一页',
      '',
      'References',
      '',
      '   1. https://jy.tj.gov.cn/JYXW/TJJY/202412/t20241204_6797100.html',
      '   2. https://jy.tj.gov.cn/JYXW/TJJY/202412/t20241204_6797093.html',
      '   3. https://jy.tj.gov.cn/JYXW/TJJY/index_1.html',
    ].join('\n');
    const result = parseListing(lynx, { url: PAGE1_URL });
    expect(result.articles.map((article) => article.url)).toEqual([
      'https://jy.tj.gov.cn/JYXW/TJJY/202412/t20241204_6797100.html',
      'https://jy.tj.gov.cn/JYXW/TJJY/202412/t20241204_6797093.html',
    ]);
    expect(result.articles[1]!.contentText).toBe('');
    expect(result.pages.total).toBe(3);
  });
});

describe('parseListing on pages 2 and 3', () => {
  const pages: ListingResult[] = ['index_1.html', 'index_2.html'].map((file) =>
    parseListing(sectionPage(file), { url: `${SECTION_URL}${file}` }),
  );

  it('gives 22 more articles, older than page 1, with their page numbers', () => {
    const articles = pages.flatMap((page) => page.articles);
    expect(articles).toHaveLength(22);
    expect(pages.map((page) => page.pages.current)).toEqual([2, 3]);
    expect(pages.every((page) => page.pages.total === 3)).toBe(true);
    const page1Ids = new Set(
      parseListing(sectionPage('index.html'), { url: SECTION_URL }).articles.map((a) => a.id),
    );
    for (const article of articles) {
      expect(page1Ids.has(article.id)).toBe(false);
      expect(article.url).toMatch(/^https:\/\/jy\.tj\.gov\.cn\/JYXW\/TJJY\/2024\d\d\/t\d{8}_\d+\.html$/);
      expect(article.publishedAt < '2024-12-02').toBe(true);
      // Pages 2–3 list no inline text: the article pages carry it.
      expect(article.contentText).toBe('');
      expect(article.summary).toBe('');
    }
    expect(new Set(articles.map((article) => article.id)).size).toBe(22);
  });

  it('numbers page urls from any page', () => {
    expect(pages[1]!.pages.urls).toEqual(pages[0]!.pages.urls);
  });
});
