import { describe, expect, it } from 'vitest';
import {
  compileProfile,
  type ListingResult,
  type ParseOptions,
  ProfileError,
  parseArticle,
  parseListing,
  profiles,
  profileToSpec,
} from '../src/index.js';
import { expectedPage1, SECTION_URL, sectionPage } from './fixtures.js';

const PAGE1_URL = `${SECTION_URL}index.html`;

/** Page 1 as another TRS site would serve it: no tj-education host or `<meta>` to recognise. */
const ELSEWHERE = 'https://www.example-trs.gov.cn/xwzx/tzgg/';
const anonymous = (html: Buffer) => html.toString('utf8').replace(/<meta name="SiteDomain"[^>]*>/, '');

const NEWS_TABLE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>通知公告_示例学院</title></head><body>
<ul class="menu"><li><a href="/">首页</a></li><li><a href="/xwzx/">新闻中心</a></li></ul>
<table class="news"><tr><th>标题</th><th>日期</th></tr>
<tr><td><a href="2024/1204/a1.html">关于2025年寒假放假安排的通知</a></td><td class="date">2024年12月4日</td></tr>
<tr><td><a href="2024/1203/a2.html">学院召开期末教学工作会议</a></td><td class="date">2024年12月3日</td></tr>
<tr><td><a href="2024/1128/a3.html">图书馆开展读书月系列活动</a></td><td class="date">2024年11月28日</td></tr>
</table>
<div class="pager"><a href="list_2.html">下一页</a></div>
</body></html>`;
const TABLE_URL = 'https://www.example-college.edu.cn/tzgg/';

describe('written profiles (the config form)', () => {
  const spec = {
    name: '示例学院',
    list: {
      item: 'table.news tr:has(td)',
      title: 'td a',
      link: { selector: 'td a', attribute: 'href' },
      date: { selector: 'td.date', format: 'yyyy年M月d日' },
    },
    pagination: { next: { selector: '.pager a', attribute: 'href' } },
  };

  it('compiles to a profile that reads the page, the rest from `auto`', () => {
    const profile = compileProfile(spec, { id: 'college' });
    expect(profile.id).toBe('college');
    expect(profile.timeZone).toBe('Asia/Shanghai');
    const listing = parseListing(NEWS_TABLE, { url: TABLE_URL, profile });
    expect(listing.articles.map((article) => [article.title, article.url, article.publishedAt])).toEqual([
      ['关于2025年寒假放假安排的通知', `${TABLE_URL}2024/1204/a1.html`, '2024-12-04T00:00:00+08:00'],
      ['学院召开期末教学工作会议', `${TABLE_URL}2024/1203/a2.html`, '2024-12-03T00:00:00+08:00'],
      ['图书馆开展读书月系列活动', `${TABLE_URL}2024/1128/a3.html`, '2024-11-28T00:00:00+08:00'],
    ]);
    expect(listing.source).toEqual({ name: '示例学院', section: '通知公告', url: TABLE_URL });
    expect(listing.pages).toEqual({
      current: 1,
      total: null,
      urls: [TABLE_URL],
      next: `${TABLE_URL}list_2.html`,
    });
    expect(listing.detection).toBeUndefined();
  });

  it('round-trips through its written form', () => {
    const profile = compileProfile(spec, { id: 'college' });
    const again = compileProfile(JSON.parse(JSON.stringify(profileToSpec(profile))), { id: 'college' });
    const { pages: _a, ...first } = parseListing(NEWS_TABLE, { url: TABLE_URL, profile });
    const { pages: _b, ...second } = parseListing(NEWS_TABLE, { url: TABLE_URL, profile: again });
    expect(second).toEqual(first);
  });

  it.each([
    [{ list: { ...spec.list, item: 'tr[' } }, /list\.item: "tr\[" is not a valid CSS selector/],
    [
      { list: { ...spec.list, link: { selector: 'a', attribute: 'onclick', pattern: '(unclosed' } } },
      /list\.link\.pattern: not a valid regular expression/,
    ],
    [{ timeZone: 'China/Beijing' }, /timeZone: "China\/Beijing" is not an IANA time zone/],
    [
      { extends: 'trs-wcm' },
      /extends: "trs-wcm" is not a known profile \(known: tj-education, trs, hanweb, auto\)/,
    ],
    [{ list: { item: 'li' } }, /list\.title/],
    [{ pagination: { pageUrl: 'index.html' } }, /pagination\.pageUrl: must contain \{n\}/],
    [{ lists: {} }, /lists/],
    [
      { list: { ...spec.list, title: 42 } },
      /list\.title: expected a CSS selector, or \{ selector, attribute, pattern, format \}/,
    ],
  ])('refuses %j with a message naming the key', (bad, message) => {
    let error: unknown;
    try {
      compileProfile(bad);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ProfileError);
    expect((error as ProfileError).code).toBe('bad-profile');
    expect((error as Error).message).toMatch(message);
  });

  it('says which selector matched nothing on which page', () => {
    const profile = compileProfile({ list: { ...spec.list, item: 'ul.news > li' } }, { id: 'college' });
    expect(() => parseListing(NEWS_TABLE, { url: TABLE_URL, profile })).toThrow(
      `Profile "college" found no articles on ${TABLE_URL}: nothing matches the item selector "ul.news > li"`,
    );
    const noDate = compileProfile({ list: { ...spec.list, date: 'td.time' } }, { id: 'college' });
    expect(() => parseListing(NEWS_TABLE, { url: TABLE_URL, profile: noDate })).toThrow(
      `article 1 of 3 on ${TABLE_URL} has no date (looked for td.time)`,
    );
  });
});

describe('the TRS family profile', () => {
  const listing = parseListing(anonymous(sectionPage('index.html')), { url: `${ELSEWHERE}index.html` });

  it('is chosen by the marks TRS leaves on a page, without a site profile', () => {
    expect(profiles.forUrl(new URL(ELSEWHERE))).toBeUndefined();
    expect(listing.detection?.list.item).toBe('ul.common-list-right-list > li');
  });

  it('reads the 15 articles with TRS permalinks and pages', () => {
    expect(listing.articles.map((article) => [article.title, article.publishedAt])).toEqual(
      expectedPage1.map((item) => [item.title, `${item.date}T00:00:00+08:00`]),
    );
    expect(listing.articles.map((article) => article.url)).toEqual(
      expectedPage1.map((item) => item.link.replace(SECTION_URL, ELSEWHERE)),
    );
    expect(listing.source).toEqual({
      name: '天津市教育委员会',
      section: '天津教育',
      url: `${ELSEWHERE}index.html`,
    });
    expect(listing.pages.urls).toEqual([
      `${ELSEWHERE}index.html`,
      `${ELSEWHERE}index_1.html`,
      `${ELSEWHERE}index_2.html`,
    ]);
  });

  it('reads later pages as page 2 and 3', () => {
    const page3 = parseListing(anonymous(sectionPage('index_2.html')), { url: `${ELSEWHERE}index_2.html` });
    expect(page3.pages.current).toBe(3);
    expect(page3.pages.total).toBe(3);
    expect(page3.pages.next).toBeUndefined();
  });

  it('reads a TRS article page by its conventions', () => {
    const path = '202412/t20241204_6797079.html';
    const article = parseArticle(anonymous(sectionPage(path)), { url: `${ELSEWHERE}${path}` });
    const bySite = parseArticle(sectionPage(path), { url: `${SECTION_URL}${path}` });
    expect(article.title).toBe(bySite.title);
    expect(article.publishedAt).toBe('2024-12-04T12:39:00+08:00');
    expect(article.author).toBe('天津日报');
    expect(article.contentText).toBe(bySite.contentText);
    expect(article.attachments.map((file) => file.title)).toEqual(
      bySite.attachments.map((file) => file.title),
    );
  });
});

describe('profile: auto', () => {
  const bySite = parseListing(sectionPage('index.html'), { url: PAGE1_URL });
  const detected = parseListing(sectionPage('index.html'), { url: PAGE1_URL, profile: 'auto' });

  it('gives the same articles as the written site profile, by detection alone', () => {
    const { detection, ...result } = detected;
    expect(detection?.count).toBe(15);
    expect(result).toEqual(bySite satisfies ListingResult);
  });

  it('gives the same JSON again with the detected profile written down', () => {
    const written = compileProfile(
      JSON.parse(JSON.stringify(profileToSpec({ ...profiles.get('auto'), list: detected.detection!.list }))),
    );
    const { detection: _, ...result } = detected;
    expect(parseListing(sectionPage('index.html'), { url: PAGE1_URL, profile: written })).toEqual(result);
  });

  it('reads dates relative to `now`', () => {
    const page = NEWS_TABLE.replace('2024年12月4日', '3小时前').replace('2024年12月3日', '12-03');
    const options: ParseOptions = {
      url: TABLE_URL,
      profile: 'auto',
      now: new Date('2024-12-04T10:30:00+08:00'),
    };
    const listing = parseListing(page, options);
    expect(listing.articles.map((article) => [article.publishedAt, article.datePrecision])).toEqual([
      ['2024-12-04T07:30:00+08:00', 'minute'],
      ['2024-12-03T00:00:00+08:00', 'day'],
      ['2024-11-28T00:00:00+08:00', 'day'],
    ]);
  });

  it('reads an article page on a template no rule names: the block with the most paragraph text', () => {
    const page = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>图书馆举办读书分享会 - 示例中学</title></head><body>
<div class="header"><ul class="menu"><li><a href="/">学校首页</a></li><li><a href="/xwzx/">新闻中心</a></li></ul></div>
<div class="main"><div class="location">当前位置：<a href="/">首页</a> &gt; 正文</div>
<div class="detail"><h2 class="detail-title">图书馆举办读书分享会</h2>
<div class="detail-meta">发布时间：2024-11-18 11:15　　来源：图书馆　　浏览次数：<span>472</span></div>
<div class="wz">
<p>　　11月15日，图书馆举办“书香校园”读书分享会。来自各年级的十位同学分享了自己最喜爱的一本书。</p>
<p>语文组教师为同学们推荐了寒假阅读书目，并介绍了做读书笔记的方法。</p>
<p style="text-align:center"><img src="/uploads/2024/1196.jpg" alt="读书分享会现场"></p>
</div><div class="detail-print"><a href="/xwzx/">返回列表</a></div></div></div>
<div class="footer"><p>示例中学　地址：天津市河西区示例路1号　电话：022-00000000　版权所有</p></div>
</body></html>`;
    const url = 'https://www.example-school.edu.cn/xwzx/content/1196.html';
    const article = parseArticle(page, { url, profile: 'auto' });
    expect(article.title).toBe('图书馆举办读书分享会');
    expect(article.publishedAt).toBe('2024-11-18T11:15:00+08:00');
    expect(article.author).toBe('图书馆');
    expect(article.contentText).toBe(
      '11月15日，图书馆举办“书香校园”读书分享会。来自各年级的十位同学分享了自己最喜爱的一本书。\n\n语文组教师为同学们推荐了寒假阅读书目，并介绍了做读书笔记的方法。',
    );
    expect(article.images).toEqual([
      { url: 'https://www.example-school.edu.cn/uploads/2024/1196.jpg', alt: '读书分享会现场' },
    ]);
    const written = compileProfile({ article: { body: '.article-text', detectBody: false } });
    expect(() => parseArticle(page, { url, profile: written })).toThrow('nothing matches ".article-text".');
  });
});
