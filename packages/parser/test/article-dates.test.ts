import { describe, expect, it } from 'vitest';
import { compileProfile, type DatePrecision, LayoutError, parseArticle } from '../src/index.js';
import { fixtureBytes } from './fixtures.js';

/** An article page on a template no profile knows, with `head` and `byline` where sites put dates. */
const page = ({ head = '', byline = '' }: { head?: string; byline?: string }) =>
  `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>学校召开学科建设推进会-示例大学</title>${head}</head>
<body><div class="nav"><a href="/">首页</a> <a href="/xwzx/">新闻中心</a></div>
<div class="detail"><h1>学校召开学科建设推进会</h1>${byline}
<div class="article-content"><p>5月18日下午，学校召开学科建设推进会，总结学科建设成效，部署下一阶段的重点任务。</p></div></div>
<div class="footer">版权所有 © 2021 示例大学</div></body></html>`;

const URL_ = 'https://news.example.edu.cn/info/1027/120851.htm';

describe('the generic article rules find the publication time in every form sites use', () => {
  it.each<[form: string, parts: { head?: string; byline?: string }, iso: string, precision: DatePrecision]>([
    [
      'VSB: 发布时间 and a bare text node, joined by &nbsp;',
      { byline: '\n发布时间&nbsp;2021-05-19 10:41:27&nbsp;&nbsp;作者：党委宣传部' },
      '2021-05-19T10:41:27+08:00',
      'second',
    ],
    [
      '发布日期 and a full-width colon, a Chinese date',
      { byline: '<div class="info">发布日期：2021年5月19日　来源：党委宣传部</div>' },
      '2021-05-19T00:00:00+08:00',
      'day',
    ],
    [
      '时间 and an ASCII colon',
      { byline: '<p class="info">作者：张三 时间:2021-05-19 10:41</p>' },
      '2021-05-19T10:41:00+08:00',
      'minute',
    ],
    ['日期 and a space', { byline: '<p>日期 2021/05/19</p>' }, '2021-05-19T00:00:00+08:00', 'day'],
    [
      '&nbsp; left as text by a template that encodes it twice',
      { byline: '<p>发布时间&amp;nbsp;2021-05-19 10:41</p>' },
      '2021-05-19T10:41:00+08:00',
      'minute',
    ],
    [
      'label and value in elements of their own',
      {
        byline:
          '<div><span class="label">发布时间：</span><span class="value">2021-05-19 10:41:27</span></div>',
      },
      '2021-05-19T10:41:27+08:00',
      'second',
    ],
    [
      '<meta name="PubDate">',
      { head: '<meta name="PubDate" content="2021-05-19 10:41:27">' },
      '2021-05-19T10:41:27+08:00',
      'second',
    ],
    [
      '<meta name="pubdate">, in lower case',
      { head: '<meta name="pubdate" content="2021-05-19">' },
      '2021-05-19T00:00:00+08:00',
      'day',
    ],
    [
      '<meta name="publishdate">',
      { head: '<meta name="publishdate" content="2021-05-19 10:41">' },
      '2021-05-19T10:41:00+08:00',
      'minute',
    ],
    [
      '<meta property="article:published_time">',
      { head: '<meta property="article:published_time" content="2021-05-19T10:41:27+08:00">' },
      '2021-05-19T10:41:27+08:00',
      'second',
    ],
    [
      '<meta property="article:published_time"> in UTC, given in the source’s offset',
      { head: '<meta property="article:published_time" content="2021-05-19T02:41:27Z">' },
      '2021-05-19T10:41:27+08:00',
      'second',
    ],
    [
      '<meta property="og:article:published_time">',
      { head: '<meta property="og:article:published_time" content="2021-05-19T10:41+08:00">' },
      '2021-05-19T10:41:00+08:00',
      'minute',
    ],
    [
      '<meta property="og:published_time">',
      { head: '<meta property="og:published_time" content="2021-05-19 10:41:27">' },
      '2021-05-19T10:41:27+08:00',
      'second',
    ],
    [
      '<meta property="og:release_date">',
      { head: '<meta property="og:release_date" content="2021-05-19">' },
      '2021-05-19T00:00:00+08:00',
      'day',
    ],
    [
      'JSON-LD datePublished',
      {
        head: '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","dateModified":"2021-05-20T08:00:00+08:00","datePublished":"2021-05-19T10:41:27+08:00"}</script>',
      },
      '2021-05-19T10:41:27+08:00',
      'second',
    ],
    [
      '<meta itemprop="datePublished">',
      { head: '<meta itemprop="datePublished" content="2021-05-19T10:41:27+08:00">' },
      '2021-05-19T10:41:27+08:00',
      'second',
    ],
    [
      '<time datetime>',
      { byline: '<p><time datetime="2021-05-19T10:41">5月19日</time></p>' },
      '2021-05-19T10:41:00+08:00',
      'minute',
    ],
  ])('%s', (_form, parts, iso, precision) => {
    const article = parseArticle(page(parts), { url: URL_ });
    expect(article.title).toBe('学校召开学科建设推进会');
    expect([article.publishedAt, article.datePrecision]).toEqual([iso, precision]);
  });

  it('gives the time in the source’s zone and offset', () => {
    const berlin = compileProfile({ timeZone: 'Europe/Berlin' });
    const read = (parts: { head?: string; byline?: string }) => {
      const article = parseArticle(page(parts), { url: URL_, profile: berlin });
      return [article.publishedAt, article.datePrecision];
    };
    expect(read({ byline: '<p>发布时间：2021-05-19 10:41</p>' })).toEqual([
      '2021-05-19T10:41:00+02:00',
      'minute',
    ]);
    expect(
      read({ head: '<meta property="article:published_time" content="2021-05-19T10:41:27+08:00">' }),
    ).toEqual(['2021-05-19T04:41:27+02:00', 'second']);
  });

  it('takes a <meta> time over the printed day when both name the same day', () => {
    const head = '<meta property="article:published_time" content="2021-05-19T10:41:27+08:00">';
    const same = parseArticle(page({ head, byline: '<p>发布日期：2021-05-19</p>' }), { url: URL_ });
    expect([same.publishedAt, same.datePrecision]).toEqual(['2021-05-19T10:41:27+08:00', 'second']);
    // A different day in <meta> is a template's leftover: the page's own words win.
    const other = parseArticle(page({ head, byline: '<p>发布日期：2021-05-20</p>' }), { url: URL_ });
    expect([other.publishedAt, other.datePrecision]).toEqual(['2021-05-20T00:00:00+08:00', 'day']);
  });

  it('takes no date from words that only end in 时间 or 日期', () => {
    const byline = '<p>活动时间：2021-06-08</p><p>网站更新日期：2021-06-30</p>';
    const error = (() => {
      try {
        parseArticle(page({ byline }), { url: URL_ });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(LayoutError);
    expect((error as LayoutError).code).toBe('no-date');
    expect((error as LayoutError).message).toContain('a date labelled 发布时间, 发布日期, 时间 or 日期');
  });

  it('leaves the labelled date out when a written profile says where the date is', () => {
    const written = compileProfile({
      article: { publishedAt: { selector: 'meta[name="Released"]', attribute: 'content' } },
    });
    const html = page({
      head: '<meta name="Released" content="2021-05-18 08:00">',
      byline: '<p>发布时间：2021-05-19 10:41</p>',
    });
    expect(parseArticle(html, { url: URL_, profile: written }).publishedAt).toBe('2021-05-18T08:00:00+08:00');
  });
});

describe('article pages as their sites serve them', () => {
  const read = (file: string, url: string) => parseArticle(fixtureBytes(`article-dates/${file}`), { url });

  it('VSB: the time in the bare text node after the <h3>', () => {
    const article = read('vsb.html', URL_);
    expect(article.title).toBe('我校召开2021年学科建设推进会');
    expect([article.publishedAt, article.datePrecision]).toEqual(['2021-05-19T10:41:27+08:00', 'second']);
    expect(article.contentText).toMatch(/^5月18日下午，学校在行政楼第一会议室召开/);
    expect(article.contentText).toMatch(/（审核：李明）$/);
  });

  it('<meta> forms: the printed day made exact by the page’s own PubDate', () => {
    const article = read('meta-forms.html', 'https://www.example-city.gov.cn/zwyw/202105/t20210519_1.html');
    expect(article.title).toBe('示例市召开2021年一季度经济运行分析会');
    expect([article.publishedAt, article.datePrecision]).toEqual(['2021-05-19T10:41:00+08:00', 'minute']);
    expect(article.author).toBe('市政府办公室');
  });

  it('JSON-LD: datePublished, not dateModified, to the second', () => {
    const article = read('json-ld.html', 'https://news.example.com/local/2021/05/19/park.html');
    expect(article.title).toBe('海河沿岸新增三处城市公园');
    expect([article.publishedAt, article.datePrecision]).toEqual(['2021-05-19T10:41:27+08:00', 'second']);
  });

  it('decoys: the labelled date nearest the title, not the sidebar’s, the text’s or the footer’s', () => {
    const article = read('decoy.html', 'https://jyj.example-county.gov.cn/tzgg/2021/0519/1204.html');
    expect(article.title).toBe('关于举办2021年全县中小学生运动会的通知');
    expect([article.publishedAt, article.datePrecision]).toEqual(['2021-05-19T16:20:00+08:00', 'minute']);
    expect(article.author).toBe('县教育局体卫艺股');
  });
});
