import { describe, expect, it } from 'vitest';
import {
  compileProfile,
  InputError,
  LayoutError,
  type ListingResult,
  type PageRequest,
  type ParseOptions,
  parseListing,
  profileToSpec,
} from '../src/index.js';
import { fixtureBytes } from './fixtures.js';

const ORIGIN = 'https://www.shixian.gov.cn';
const COLUMN_URL = `${ORIGIN}/col/col1229455/index.html`;
const PROXY = `${ORIGIN}/module/web/jpage/dataproxy.jsp`;

/** Titles, days and links of the column's 38 records, newest first, as its pages list them. */
const EXPECTED: { title: string; date: string; link: string }[] = JSON.parse(
  fixtureBytes('hanweb/expected.json').toString('utf8'),
);

/** The form the column's pager POSTs (its `ajaxParam`). */
const COLUMN_FORM = {
  col: '1',
  appid: '1',
  webid: '12',
  path: '/',
  columnid: '1229455',
  sourceContentType: '1',
  unitid: '7654321',
  webname: '示例县人民政府',
  permissiontype: '0',
};

const column = () => parseListing(fixtureBytes('hanweb/col/col1229455/index.html'), { url: COLUMN_URL });
const answer = (file: string, request: PageRequest, options: Partial<ParseOptions> = {}) =>
  parseListing(fixtureBytes(`hanweb/${file}`), {
    url: request.url,
    request,
    contentType: 'text/xml;charset=UTF-8',
    ...options,
  });

const items = (listing: ListingResult) =>
  listing.articles.map((article) => ({
    title: article.title,
    date: article.publishedAt.slice(0, 10),
    link: article.url?.slice(ORIGIN.length),
  }));

const formOf = (request: PageRequest | undefined) => Object.fromEntries(new URLSearchParams(request?.body));

describe('Hanweb (大汉) column pages', () => {
  it('reads the inline datastore of a GB2312 column page, chosen by its marks', () => {
    let chosen: string | undefined;
    const listing = parseListing(fixtureBytes('hanweb/col/col1229455/index.html'), {
      url: COLUMN_URL,
      onProfile: (profile) => {
        chosen = profile.id;
      },
    });
    expect(chosen).toBe('hanweb');
    // Titles from the links' `title`, not their text the template cuts to 28 characters.
    expect(items(listing)).toEqual(EXPECTED.slice(0, 15));
    expect(listing.skipped).toEqual([]);
    expect(listing.source).toEqual({ name: '示例县人民政府', section: '通知公告', url: COLUMN_URL });
    expect(listing.detection).toBeUndefined();
  });

  it('names the next group: records 16–30 POSTed to dataproxy.jsp with the column form', () => {
    const { pages } = column();
    const next = `${PROXY}?startrecord=16&endrecord=30&perpage=5`;
    expect(pages).toEqual({
      current: 1,
      total: 3,
      urls: [COLUMN_URL],
      next,
      nextRequest: { url: next, method: 'POST', body: expect.any(String) },
    });
    expect(formOf(pages.nextRequest)).toEqual(COLUMN_FORM);
  });

  it('follows the dataproxy.jsp answers (UTF-8 XML) to the last record, in order, each once', () => {
    const first = column();
    const second = answer('dataproxy-16-30.xml', first.pages.nextRequest as PageRequest);
    expect(items(second)).toEqual(EXPECTED.slice(15, 30));
    expect(second.pages).toMatchObject({
      current: 2,
      total: 3,
      next: `${PROXY}?startrecord=31&endrecord=45&perpage=5`,
    });
    expect(second.pages.nextRequest?.body).toBe(first.pages.nextRequest?.body);

    const third = answer('dataproxy-31-45.xml', second.pages.nextRequest as PageRequest);
    expect(items(third)).toEqual(EXPECTED.slice(30));
    expect(third.pages).toEqual({ current: 3, total: 3, urls: [third.source.url] });

    const all = [first, second, third].flatMap((listing) => listing.articles);
    expect(all.map((article) => article.title)).toEqual(EXPECTED.map((item) => item.title));
    expect(new Set(all.map((article) => article.id)).size).toBe(38);
  });

  it('rebuilds the form from <nextgroup> when the answer is read without the request', () => {
    const listing = parseListing(fixtureBytes('hanweb/dataproxy-16-30.xml'), {
      url: `${PROXY}?startrecord=16&endrecord=30&perpage=5`,
    });
    expect(listing.articles).toHaveLength(15);
    expect(formOf(listing.pages.nextRequest)).toEqual({
      col: '1',
      webid: '12',
      path: '/',
      columnid: '1229455',
      unitid: '7654321',
      webname: '示例县人民政府',
      permissiontype: '0',
      sourceContentType: '1',
    });
  });

  it('refuses a dataproxy.jsp answer cut short, as truncated XML', () => {
    const whole = fixtureBytes('hanweb/dataproxy-16-30.xml').toString('utf8');
    const cut = whole.slice(0, whole.indexOf('</recordset>'));
    const error = (() => {
      try {
        parseListing(cut, { url: `${PROXY}?startrecord=16&endrecord=30&perpage=5` });
      } catch (thrown) {
        return thrown;
      }
      throw new Error('parsed a truncated answer');
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('truncated');
    expect((error as InputError).message).toMatch(/ends before <\/datastore>/);
  });

  it('pages an older proxy by page=N up to <totalpage>', () => {
    const url = `${ORIGIN}/module/web/jpage/dataproxy.jsp?page=2&appid=1&webid=12&path=/&columnid=1229455&unitid=7654321&permissiontype=0`;
    const xml = `<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>6</totalrecord><totalpage>3</totalpage><recordset>
<record><![CDATA[<li><a href="/art/2024/12/4/art_1229455_1.html" title="第三条">第三条</a><span>2024-12-04</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2024/12/3/art_1229455_2.html" title="第四条">第四条</a><span>2024-12-03</span></li>]]></record>
</recordset></datastore>`;
    const { pages, articles } = parseListing(xml, { url });
    expect(articles.map((article) => article.title)).toEqual(['第三条', '第四条']);
    expect(pages).toMatchObject({ current: 2, total: 3, urls: [url] });
    const next = new URL(pages.next as string);
    const asked = new URL(url);
    asked.searchParams.set('page', '3');
    expect([...next.searchParams]).toEqual([...asked.searchParams]);
    expect(pages.nextRequest).toBeUndefined();
  });

  it('reads each record apart, so one with an unclosed tag cannot swallow the next', () => {
    const page = `<html><head><title>通知公告</title></head><body><div id="1"><script type="text/xml"><datastore><recordset>
<record><![CDATA[<li><a href="/art/2024/12/4/art_1_1.html" title="其一">其一</a><span>2024-12-04</span><div class="x"></li>]]></record>
<record><![CDATA[<li><a href="/art/2024/12/3/art_1_2.html" title="其二">其二</a><span>2024-12-03</span></li>]]></record>
</recordset></datastore></script></div></body></html>`;
    const listing = parseListing(page, { url: COLUMN_URL });
    expect(items(listing)).toEqual([
      { title: '其一', date: '2024-12-04', link: '/art/2024/12/4/art_1_1.html' },
      { title: '其二', date: '2024-12-03', link: '/art/2024/12/3/art_1_2.html' },
    ]);
    // No totalRecord on the page: nothing says there are more.
    expect(listing.pages.next).toBeUndefined();
  });

  it('a page without a datastore read as hanweb says what is missing', () => {
    const page = '<html><body><ul><li><a href="/a.html">一</a> 2024-12-04</li></ul></body></html>';
    const error = (() => {
      try {
        parseListing(page, { url: COLUMN_URL, profile: 'hanweb' });
      } catch (thrown) {
        return thrown as LayoutError;
      }
      throw new Error('parsed');
    })();
    expect(error).toBeInstanceOf(LayoutError);
    expect(error).toMatchObject({ code: 'no-articles', profile: 'hanweb', rule: 'datastore' });
    expect(error.message).toContain('found no Hanweb <datastore>');
  });

  it('a written profile extending hanweb runs its own rules on the records', () => {
    const profile = compileProfile(
      {
        extends: 'hanweb',
        name: '示例县',
        list: {
          item: 'li',
          title: 'a',
          link: { selector: 'a', attribute: 'href' },
          date: 'span.bt-data-time',
        },
      },
      { id: 'shixian' },
    );
    const listing = parseListing(fixtureBytes('hanweb/col/col1229455/index.html'), {
      url: COLUMN_URL,
      profile,
    });
    // The link text, cut by the template, as the rule asks.
    expect(listing.articles[3]?.title).toBe('关于公布示例县第二批县级非物质文化遗产代表性项目名录的…');
    expect(listing.pages.nextRequest?.url).toBe(`${PROXY}?startrecord=16&endrecord=30&perpage=5`);
    expect(profileToSpec(profile)).toMatchObject({ extends: 'hanweb', name: '示例县' });
  });
});
