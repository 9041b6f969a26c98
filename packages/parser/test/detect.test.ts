import { readFileSync } from 'node:fs';
import type { Document, Element } from 'domhandler';
import { describe, expect, it } from 'vitest';
import { decodeBytes } from '../src/decode/decode.js';
import { detectList, type ListDetection } from '../src/detect/index.js';
import { selectIn } from '../src/extract/rules.js';
import { type Article, LayoutError, type ListRules, parseListing, type SiteProfile } from '../src/index.js';
import { parseHtml } from '../src/normalize/html.js';
import { expectedPage1, FIXTURES, fixtureBytes, SECTION_URL, sectionPage } from './fixtures.js';

interface ArticleFacts {
  title: string;
  url: string | undefined;
  publishedAt: string;
}

interface Layout {
  /** File in test/fixtures/layouts/. */
  file: string;
  url: string;
  /** The list rules written by hand for the page. */
  list: ListRules;
  count: number;
  first: ArticleFacts;
  last: ArticleFacts;
  /** Blocks that look like items but are not: the detected items must include none of them. */
  decoys: string[];
}

const day = (date: string) => `${date}T00:00:00+08:00`;

const LAYOUTS: Layout[] = [
  {
    file: 'table.html',
    url: 'https://jyj.hedong.example.gov.cn/zwgk/tzgg/',
    list: {
      item: 'table.gk-list tr:has(td)',
      title: { selector: 'td.title a' },
      link: { selector: 'td.title a', attribute: 'href' },
      date: { selector: 'td:nth-child(4)' },
    },
    count: 10,
    first: {
      title: '关于做好2025年元旦春节期间校园安全工作的通知',
      url: 'https://jyj.hedong.example.gov.cn/zwgk/tzgg/202412/t20241204_7012345.html',
      publishedAt: day('2024-12-04'),
    },
    last: {
      title: '河东区教育系统2024年第三季度政府信息公开情况',
      url: 'https://jyj.hedong.example.gov.cn/zwgk/tzgg/202410/t20241030_7011596.html',
      publishedAt: day('2024-10-30'),
    },
    decoys: ['div.nav li', 'ul.side-menu > li', 'table.gk-list tr:has(th)', 'div.pages a'],
  },
  {
    file: 'dl.html',
    url: 'https://www.example-university.edu.cn/xwzx/xyxw.htm',
    list: {
      item: '.news-list dl',
      title: { selector: 'dt a' },
      link: { selector: 'dt a', attribute: 'href' },
      date: { selector: 'dd.time' },
    },
    count: 9,
    first: {
      title: '我校举办第四届“师范生教学技能大赛”决赛',
      url: 'https://www.example-university.edu.cn/info/1021/5712.htm',
      publishedAt: day('2024-12-04'),
    },
    last: {
      title: '我校学子在全国大学生数学建模竞赛中获佳绩',
      url: 'https://www.example-university.edu.cn/info/1021/5681.htm',
      publishedAt: day('2024-11-08'),
    },
    decoys: ['div.menu li', 'ul.left-nav > li', 'ul.tab-body > li', 'div.quick > a'],
  },
  {
    file: 'cards.html',
    url: 'https://www.example-school.edu.cn/xwzx/xyxw/',
    list: {
      item: '.card-list .card',
      title: { selector: 'h3 a' },
      link: { selector: 'h3 a', attribute: 'href' },
      date: { selector: '.time' },
    },
    count: 8,
    first: {
      title: '我校第十届校园科技节开幕 千余名学生参与创客挑战',
      url: 'https://www.example-school.edu.cn/xwzx/xyxw/2024-12-04/1201.html',
      publishedAt: day('2024-12-04'),
    },
    last: {
      title: '我校合唱团获区中小学合唱节一等奖',
      url: 'https://www.example-school.edu.cn/xwzx/xyxw/2024-10-31/1146.html',
      publishedAt: day('2024-10-31'),
    },
    decoys: ['nav.main-nav > a', 'div.sub-tabs > a', 'div.footer-nav > a', 'div.pagination > a'],
  },
  {
    file: 'date-first.html',
    url: 'https://www.jinnan.example.gov.cn/xwzx/gzdt/',
    list: {
      item: 'ul.news_list li',
      title: { selector: 'a', attribute: 'title' },
      link: { selector: 'a', attribute: 'href' },
      date: { selector: 'span' },
    },
    count: 12,
    first: {
      title: '区市场监管局开展冬季燃气安全专项检查',
      url: 'https://www.jinnan.example.gov.cn/xwzx/gzdt/202412/t20241204_6801121.html',
      publishedAt: day('2024-12-04'),
    },
    last: {
      title: '区司法局开展“宪法进万家”普法宣传活动',
      url: 'https://www.jinnan.example.gov.cn/xwzx/gzdt/202411/t20241112_6800617.html',
      publishedAt: day('2024-11-12'),
    },
    decoys: ['#nav li', 'div.left_column li', 'div.friend_links li'],
  },
  {
    file: 'bracket-dates.html',
    url: 'https://www.hqez.example.edu.cn/tzgg.html',
    list: {
      item: 'div.list-box li',
      title: { selector: 'a' },
      link: { selector: 'a', attribute: 'href' },
      date: { pattern: /\[([^\]]+)\]/ },
    },
    count: 10,
    first: {
      title: '关于2024-2025学年第一学期期末考试安排的通知',
      url: 'https://www.hqez.example.edu.cn/content.jsp?id=3412',
      publishedAt: day('2024-12-04'),
    },
    last: {
      title: '关于国庆节放假安排的通知',
      url: 'https://www.hqez.example.edu.cn/content.jsp?id=3350',
      publishedAt: day('2024-09-27'),
    },
    decoys: ['div.menu > a', 'div.fy > a'],
  },
  {
    file: 'onclick.html',
    url: 'https://jyj.jinghai.example.gov.cn/xwzx/jyyw/',
    list: {
      item: '#newsList .item',
      title: { selector: 'a' },
      link: { selector: 'a', attribute: 'onclick', pattern: /openArticle\('([^']+)'\)/ },
      date: { selector: '.date' },
    },
    count: 9,
    first: {
      title: '静海区召开2024年冬季校园安全工作部署会',
      url: 'https://jyj.jinghai.example.gov.cn/xwzx/2024/1204/2318.html',
      publishedAt: day('2024-12-04'),
    },
    last: {
      title: '区教育局召开民办学校年检工作会议',
      url: 'https://jyj.jinghai.example.gov.cn/xwzx/2024/1106/2266.html',
      publishedAt: day('2024-11-06'),
    },
    decoys: ['ul.g-nav > li', 'ul.side-links > li', 'div.g-pager > a'],
  },
  {
    file: 'decoys.html',
    url: 'https://jyj.baodi.example.gov.cn/jyxw/gzdt/',
    list: {
      item: 'div.main ul li',
      title: { selector: 'a', attribute: 'title' },
      link: { selector: 'a', attribute: 'href' },
      date: { selector: 'span.date' },
    },
    count: 10,
    first: {
      title: '宝坻区召开2024年教育系统安全生产工作推进会',
      url: 'https://jyj.baodi.example.gov.cn/jyxw/gzdt/202412/t20241204_1004.html',
      publishedAt: day('2024-12-04'),
    },
    last: {
      title: '区教研室组织开展初中毕业年级教学视导',
      url: 'https://jyj.baodi.example.gov.cn/jyxw/gzdt/202411/t20241111_968.html',
      publishedAt: day('2024-11-11'),
    },
    decoys: [
      'ul.nav > li',
      'ul.subnav > li',
      'div.side li',
      'div.side > div.box',
      'div.zt > a',
      'div.footer-links dl',
    ],
  },
  {
    file: 'link-items.html',
    url: 'https://www.example-tjzy.edu.cn/xwzx/mtbd/',
    list: {
      item: '.news-items > a.news-item',
      title: { selector: 'h4' },
      link: { attribute: 'href' },
      date: { selector: 'time' },
    },
    count: 8,
    first: {
      title: '【天津日报】职业教育赋能产业升级 我院与十家企业共建产业学院',
      url: 'https://www.example-tjzy.edu.cn/xwzx/mtbd/2024/1204/c88a5521/page.htm',
      publishedAt: day('2024-12-04'),
    },
    last: {
      title: '【新华网】职教出海：天津职业技术学院鲁班工坊建设纪实',
      url: 'https://www.example-tjzy.edu.cn/xwzx/mtbd/2024/1030/c88a5377/page.htm',
      publishedAt: day('2024-10-30'),
    },
    decoys: ['ul.navbar-nav > li', 'div.list-group > a', 'ol.breadcrumb > li', 'div.news-items > a.more'],
  },
];

/** A profile for a page nobody registered: list rules as given, the rest placeholders. */
function profileFor(url: string, list: ListRules): SiteProfile {
  return {
    id: 'auto',
    name: '测试站点',
    match: { hosts: [new URL(url).host] },
    timeZone: 'Asia/Shanghai',
    language: 'zh-CN',
    examples: [url],
    source: { section: { selector: 'title' } },
    list,
    article: { title: { selector: 'h1' }, publishedAt: { selector: '.date' }, body: '.content' },
  };
}

function facts(articles: readonly Article[]): ArticleFacts[] {
  return articles.map(({ title, url, publishedAt }) => ({ title, url, publishedAt }));
}

function layoutHtml(file: string): string {
  return readFileSync(`${FIXTURES}layouts/${file}`, 'utf8');
}

function expectSameElements(actual: readonly Element[], expected: readonly Element[]): void {
  expect(actual.length).toBe(expected.length);
  expect(actual.every((element, index) => element === expected[index])).toBe(true);
}

/** What the page yields through a profile whose list is the detected one. */
function parseDetected(html: string | Uint8Array, url: string, detection: ListDetection): Article[] {
  return parseListing(html, { url, profile: profileFor(url, detection.list) }).articles;
}

describe('detectList on listing layouts', () => {
  describe.each(LAYOUTS)('$file', (layout) => {
    const html = layoutHtml(layout.file);
    const document = parseHtml(html);
    const detection = detectList(document, layout.url);
    const written = parseListing(html, { url: layout.url, profile: profileFor(layout.url, layout.list) });

    it('reads the page with the written profile as expected', () => {
      expect(written.articles).toHaveLength(layout.count);
      expect(facts(written.articles).at(0)).toEqual(layout.first);
      expect(facts(written.articles).at(-1)).toEqual(layout.last);
    });

    it('chooses the block the written profile reads, and nothing else', () => {
      expect(detection.count).toBe(layout.count);
      expectSameElements(selectIn(document, detection.list.item), selectIn(document, layout.list.item));
    });

    it('yields the same articles as the written profile', () => {
      const detected = parseDetected(html, layout.url, detection);
      expect(facts(detected)).toEqual(facts(written.articles));
      expect(facts(detected).at(0)).toEqual(layout.first);
      expect(facts(detected).at(-1)).toEqual(layout.last);
    });

    it('leaves the decoys out', () => {
      const items = new Set(selectIn(document, detection.list.item));
      for (const decoy of layout.decoys) {
        const elements = selectIn(document, decoy);
        expect(elements.length, `decoy ${decoy} exists`).toBeGreaterThan(0);
        expect(
          elements.filter((element) => items.has(element)),
          `decoy ${decoy} is not an item`,
        ).toEqual([]);
      }
    });

    it('reports its candidates best first, the chosen one first', () => {
      const { candidates } = detection;
      expect(candidates.length).toBeGreaterThanOrEqual(1);
      expect(candidates.length).toBeLessThanOrEqual(5);
      expect(candidates[0]).toMatchObject({ item: detection.list.item, count: detection.count });
      expect(candidates[0]?.score).toBe(detection.score);
      const scores = candidates.map((candidate) => candidate.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(candidates[0]?.signals).toMatchObject({
        repetition: layout.count,
        withLink: expect.any(Number),
      });
    });
  });

  it('ranks the short dated 热点 sidebar below the main list', () => {
    const layout = LAYOUTS.find((candidate) => candidate.file === 'decoys.html') as Layout;
    const document = parseHtml(layoutHtml(layout.file));
    const hot = selectIn(document, 'div.side > div.box')[0] as Element;
    const hotItems = selectIn(hot, 'li');
    const { candidates } = detectList(document, layout.url);
    const hotCandidate = candidates.find((candidate) => {
      const selected = selectIn(document, candidate.item);
      return selected.length === hotItems.length && selected.every((element) => hotItems.includes(element));
    });
    expect(hotCandidate, 'the 热点 list is a candidate').toBeDefined();
    expect(hotCandidate?.score).toBeLessThan(candidates[0]?.score as number);
    expect(hotCandidate?.signals.withDate).toBe(1);
  });

  it('reads a table header row as no item (it has no link)', () => {
    const layout = LAYOUTS[0] as Layout;
    const document = parseHtml(layoutHtml(layout.file));
    const { list } = detectList(document, layout.url);
    expect(selectIn(document, list.item).some((row) => selectIn(row, 'th').length > 0)).toBe(false);
  });
});

describe('detectList on the jy.tj.gov.cn section, without its profile', () => {
  const PAGE1_URL = `${SECTION_URL}index.html`;

  it('finds the 15 articles of page 1, their links in onclick and their hidden full texts', () => {
    const html = sectionPage('index.html').toString('utf8');
    const document = parseHtml(html);
    const detection = detectList(document, PAGE1_URL);
    expect(detection.count).toBe(15);
    expectSameElements(
      selectIn(document, detection.list.item),
      selectIn(document, 'ul.common-list-right-list > li'),
    );
    expect(detection.list.content).toBeDefined();

    const articles = parseDetected(html, PAGE1_URL, detection);
    expect(articles.map(({ title, url, publishedAt }) => ({ title, url, publishedAt }))).toEqual(
      expectedPage1.map(({ title, link, date }) => ({ title, url: link, publishedAt: day(date) })),
    );
    articles.forEach((article, index) => {
      const expected = expectedPage1[index]!;
      expect(article.contentText.startsWith(expected.textStartsWith)).toBe(true);
      expect(article.contentText.endsWith(expected.textEndsWith)).toBe(true);
    });
  });

  it.each(['index_1.html', 'index_2.html'])(
    'finds the same articles on %s as the tj-education profile',
    (page) => {
      const bytes = sectionPage(page);
      const url = SECTION_URL + page;
      const detection = detectList(parseHtml(bytes.toString('utf8')), url);
      const byProfile = parseListing(bytes, { url, profile: 'tj-education' }).articles;
      expect(detection.count).toBe(byProfile.length);
      expect(detection.list.content).toBeUndefined();
      expect(facts(parseDetected(bytes, url, detection))).toEqual(facts(byProfile));
    },
  );

  it('finds the same 15 in the GB18030 page', () => {
    const bytes = fixtureBytes('encodings/index.gb18030.html');
    const detection = detectList(parseHtml(decodeBytes(bytes).text), PAGE1_URL);
    expect(detection.count).toBe(15);
    const articles = parseDetected(bytes, PAGE1_URL, detection);
    expect(articles.map((article) => [article.title, article.url, article.publishedAt])).toEqual(
      expectedPage1.map(({ title, link, date }) => [title, link, day(date)]),
    );
  });

  it('finds all items of a 3,000-item page built from page 1', () => {
    const html = sectionPage('index.html').toString('utf8');
    const start = html.indexOf('<li>', html.indexOf('common-list-right-list'));
    const end = html.lastIndexOf('</li>', html.indexOf('<div class="page-list">')) + '</li>'.length;
    const items = html.slice(start, end);
    const long = html.slice(0, start) + items.repeat(200) + html.slice(end);
    const detection = detectList(parseHtml(long), PAGE1_URL);
    expect(detection.count).toBe(3000);
    expect(detection.list.item).toBe(detectList(parseHtml(html), PAGE1_URL).list.item);
  });
});

describe('detectList with a linkPattern', () => {
  const URL = 'https://jyj.example.gov.cn/jyxw/';
  const TRS_PERMALINK = /t\d{8}_\d+\.html$/;
  // A longer dated list of topic pages, then the news list whose links have the TRS shape.
  const page = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>教育新闻</title></head><body>
    <ul class="nav"><li><a href="/">首页</a></li><li><a href="/jyxw/">教育新闻</a></li><li><a href="/zwgk/">政务公开</a></li></ul>
    <div class="topics"><ul>${Array.from(
      { length: 12 },
      (_, i) =>
        `<li><a href="/zt/topic${i + 1}/">专题：学习贯彻全国教育大会精神第${i + 1}期</a><span>2024-11-${10 + i}</span></li>`,
    ).join('')}</ul></div>
    <div class="news"><ul>${Array.from(
      { length: 8 },
      (_, i) =>
        `<li><a href="/jyxw/zwzx/">[政务资讯]</a><a href="./202412/t2024120${i + 1}_${500 + i}.html">全市教育系统工作会议第${i + 1}次召开</a><em>2024-12-0${i + 1}</em></li>`,
    ).join('')}</ul></div>
    </body></html>`;

  it('without it, the longer dated list wins', () => {
    const document = parseHtml(page);
    const detection = detectList(document, URL);
    expect(detection.count).toBe(12);
    expect(selectIn(document, detection.list.item)[0]?.parent?.parent).toBe(
      selectIn(document, 'div.topics')[0],
    );
  });

  it('with it, only blocks linking articles of that shape count, and the link rule reads those', () => {
    const document = parseHtml(page);
    const detection = detectList(document, URL, { linkPattern: TRS_PERMALINK });
    expect(detection.count).toBe(8);
    expectSameElements(selectIn(document, detection.list.item), selectIn(document, 'div.news li'));
    const articles = parseDetected(page, URL, detection);
    expect(articles.map((article) => article.url)).toEqual(
      Array.from(
        { length: 8 },
        (_, i) => `https://jyj.example.gov.cn/jyxw/202412/t2024120${i + 1}_${500 + i}.html`,
      ),
    );
    expect(articles[0]?.title).toBe('全市教育系统工作会议第1次召开');
  });

  it('keeps the real section when its permalinks match', () => {
    const detection = detectList(parseHtml(sectionPage('index.html').toString('utf8')), SECTION_URL, {
      linkPattern: /\/t\d{8}_\d+\.s?html?$/,
    });
    expect(detection.count).toBe(15);
  });

  it('finds nothing when no link matches, and says which pattern it used', () => {
    const run = () =>
      detectList(parseHtml(sectionPage('index.html').toString('utf8')), SECTION_URL, {
        linkPattern: /\.pdf$/,
      });
    expect(run).toThrow(LayoutError);
    expect(run).toThrow(/\/\\\.pdf\$\//);
  });
});

describe('detectList on pages without a list', () => {
  function noListError(document: Document, url: string): LayoutError {
    try {
      detectList(document, url);
    } catch (error) {
      if (error instanceof LayoutError) return error;
      throw error;
    }
    throw new Error('detectList found a list');
  }

  it('throws LayoutError no-list that says what it looked for and the closest block', () => {
    const url = 'https://www.example.gov.cn/about/';
    const document = parseHtml(`<!DOCTYPE html><html><head><title>学校简介</title></head><body>
      <ul class="nav"><li><a href="/">首页</a></li><li><a href="/about/">学校简介</a></li><li><a href="/news/">新闻中心</a></li><li><a href="/contact/">联系我们</a></li></ul>
      <div class="article"><h1>学校简介</h1><p>学校始建于1952年，是一所历史悠久的市级重点中学。</p><p>学校现有教学班48个，在校学生2100余人。</p></div>
      <div class="footer"><p>地址：天津市河北区</p></div></body></html>`);
    const error = noListError(document, url);
    expect(error.code).toBe('no-list');
    expect(error.profile).toBe('auto');
    expect(error.rule).toBe('detect');
    expect(error.url).toBe(url);
    expect(error.message).toContain(url);
    expect(error.message).toMatch(/link.*title.*date/);
    expect(error.message).toContain('"ul.nav > li" (4 elements)');
    expect(error.message).toContain('dates in 0%');
  });

  it('throws no-list on a page with no links at all', () => {
    const error = noListError(
      parseHtml('<html><body><p>2024-12-04</p><p>2024-12-05</p></body></html>'),
      'https://x.example/',
    );
    expect(error.code).toBe('no-list');
    expect(error.message).toContain('No repeated block on the page holds links');
  });

  it('does not take a dated list without links for articles', () => {
    const html = `<html><body><ul class="events">${'<li><span>校园开放日活动安排</span><span>2024-12-04</span></li>'.repeat(6)}</ul></body></html>`;
    expect(noListError(parseHtml(html), 'https://x.example/').code).toBe('no-list');
  });
});
