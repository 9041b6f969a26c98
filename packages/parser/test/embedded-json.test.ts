import { describe, expect, it } from 'vitest';
import { compileProfile, LayoutError, type ListingResult, parseListing } from '../src/index.js';
import { fixtureBytes } from './fixtures.js';

const rows = (listing: ListingResult) =>
  listing.articles.map((article) => [article.title, article.url, article.publishedAt]);

describe('detection reads the JSON a page builds its list from', () => {
  it('a Next.js page: __NEXT_DATA__, its cards carrying no dates', () => {
    const url = 'https://www.example-tech.edu.cn/news';
    const listing = parseListing(fixtureBytes('embedded/next-data.html'), { url });
    expect(rows(listing)).toEqual([
      ['学校与示例市人民政府签署全面战略合作协议', `${url}/20241204-1012`, '2024-12-04T16:05:00+08:00'],
      ['我校三项成果获省级教学成果奖特等奖', `${url}/20241203-1011`, '2024-12-03T10:30:00+08:00'],
      ['2025届毕业生秋季大型双选会举行', `${url}/20241202-1010`, '2024-12-02T14:00:00+08:00'],
      ['学校举办第五届国际青年学者论坛', `${url}/20241129-1009`, '2024-11-29T09:00:00+08:00'],
      ['我校研究团队在《自然·通讯》发表最新成果', `${url}/20241128-1008`, '2024-11-28T11:15:00+08:00'],
    ]);
    expect(listing.jsonDetection).toEqual({
      rules: {
        embedded: '__NEXT_DATA__',
        items: 'props.pageProps.news.items',
        title: 'title',
        link: 'href',
        date: 'publishedAt',
        content: 'excerpt',
      },
      count: 5,
    });
    expect(listing.articles[0]?.summary).toBe(
      '学校与示例市人民政府签署全面战略合作协议。这是该新闻摘要的第一句，说明活动的时间、地点和参与者。',
    );
    expect(listing.source).toEqual({ name: '示例科技大学', section: '新闻动态', url });
    expect(listing.detection).toBeUndefined();
  });

  it('an app shell: window.__INITIAL_STATE__, dates as Unix milliseconds', () => {
    const url = 'https://sjj.example.gov.cn/tzgg';
    const listing = parseListing(fixtureBytes('embedded/initial-state.html'), { url });
    expect(rows(listing)).toEqual([
      [
        '关于公布2024年度示例市数字化转型典型案例的通知',
        `${url}/2024/12/04/c_1126043.html`,
        '2024-12-04T12:00:00+08:00',
      ],
      [
        '示例市公共数据开放平台数据目录更新公告',
        `${url}/2024/12/03/c_1126022.html`,
        '2024-12-03T09:00:00+08:00',
      ],
      [
        '关于开展2024年度政务信息系统整合共享评估的通知',
        `${url}/2024/12/02/c_1125987.html`,
        '2024-12-02T12:00:00+08:00',
      ],
      [
        '示例市数据资源管理局2024年政府信息公开工作年度报告',
        `${url}/2024/11/29/c_1125960.html`,
        '2024-11-29T11:00:00+08:00',
      ],
    ]);
    expect(listing.jsonDetection?.rules).toEqual({
      embedded: '__INITIAL_STATE__',
      items: 'column.records',
      title: 'articleTitle',
      link: 'linkUrl',
      date: 'releaseTime',
    });
  });

  it('JSON-LD: an ItemList of NewsArticles, beside a BreadcrumbList', () => {
    const url = 'https://finance.example-news.cn/macro/';
    const listing = parseListing(fixtureBytes('embedded/json-ld-itemlist.html'), { url });
    expect(rows(listing)[0]).toEqual([
      '示例财经：11月全国新能源汽车产销同比增长逾三成',
      'https://finance.example-news.cn/2024-12-04/doc-inczxyz1.shtml',
      '2024-12-04T09:30:00+08:00',
    ]);
    expect(listing.articles).toHaveLength(6);
    expect(listing.jsonDetection?.rules).toEqual({
      embedded: 'ld+json',
      items: 'ItemList.0.itemListElement',
      title: 'item.headline',
      link: 'item.url',
      date: 'item.datePublished',
    });
  });

  it('JSON-LD: one NewsArticle per script, grouped by @type', () => {
    const article = (n: number) =>
      `<script type="application/ld+json">${JSON.stringify({
        '@context': 'https://schema.org',
        '@type': 'NewsArticle',
        headline: `第${n}篇报道的标题`,
        url: `https://news.example.org/2024/12/0${n}/a${n}.html`,
        datePublished: `2024-12-0${n}T08:00:00+08:00`,
      })}</script>`;
    const page = `<!doctype html><html><head><title>要闻</title>${[4, 3, 2].map(article).join('')}</head>
<body><div class="tiles"><a href="/a4.html"><img src="/a4.jpg" alt=""></a><a href="/a3.html"><img src="/a3.jpg" alt=""></a></div></body></html>`;
    const listing = parseListing(page, { url: 'https://news.example.org/' });
    expect(listing.articles.map((item) => item.title)).toEqual([
      '第4篇报道的标题',
      '第3篇报道的标题',
      '第2篇报道的标题',
    ]);
    expect(listing.jsonDetection?.rules).toMatchObject({ embedded: 'ld+json', items: 'NewsArticle' });
  });

  it('what detection wrote reads the page again as a profile', () => {
    const url = 'https://www.example-tech.edu.cn/news';
    const detected = parseListing(fixtureBytes('embedded/next-data.html'), { url });
    const profile = compileProfile({ list: { json: detected.jsonDetection?.rules } });
    const again = parseListing(fixtureBytes('embedded/next-data.html'), { url, profile });
    expect(again.articles).toEqual(detected.articles);
    expect(again.jsonDetection).toBeUndefined();
  });

  it('a list in the markup is read from the markup, whatever JSON the page carries', () => {
    const state = JSON.stringify({ menu: [{ title: '首页菜单项', url: '/', date: '2024-01-01' }] });
    const page = `<html><head><title>新闻</title><script>window.__STATE__=${state};</script></head><body><ul class="news">
<li><a href="/n/1.html">第一条新闻的标题</a><span>2024-12-04</span></li>
<li><a href="/n/2.html">第二条新闻的标题</a><span>2024-12-03</span></li>
<li><a href="/n/3.html">第三条新闻的标题</a><span>2024-12-02</span></li></ul></body></html>`;
    const listing = parseListing(page, { url: 'https://www.example.org/news/' });
    expect(listing.detection?.list.item).toBe('ul.news > li');
    expect(listing.jsonDetection).toBeUndefined();
  });

  it('JSON holding no articles leaves the page unread, as before', () => {
    const page = `<html><head><title>首页</title></head><body><div id="app"><p>欢迎访问</p></div>
<script>window.__INITIAL_STATE__={"user":null,"menu":[{"name":"首页","path":"/"},{"name":"关于","path":"/about"}]};</script></body></html>`;
    const error = (() => {
      try {
        parseListing(page, { url: 'https://www.example.org/' });
      } catch (thrown) {
        return thrown;
      }
      throw new Error('parsed');
    })();
    expect(error).toBeInstanceOf(LayoutError);
  });

  it("a profile's JSON rules read the JSON a page embeds, by name", () => {
    const profile = compileProfile({
      list: {
        json: {
          embedded: '__INITIAL_STATE__',
          items: 'column.records',
          title: 'articleTitle',
          link: 'linkUrl',
          date: 'releaseTime',
        },
      },
    });
    const url = 'https://sjj.example.gov.cn/tzgg';
    expect(parseListing(fixtureBytes('embedded/initial-state.html'), { url, profile }).articles).toHaveLength(
      4,
    );
    const error = (() => {
      try {
        parseListing(fixtureBytes('embedded/next-data.html'), { url, profile });
      } catch (thrown) {
        return thrown as LayoutError;
      }
      throw new Error('parsed');
    })();
    expect(error).toMatchObject({ code: 'no-json', rule: 'list.json.embedded: __INITIAL_STATE__' });
    expect(error.message).toContain("reads the list from the page's __INITIAL_STATE__ JSON");
    expect(error.message).toContain('embeds only __NEXT_DATA__');
  });
});
