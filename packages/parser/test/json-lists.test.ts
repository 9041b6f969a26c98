import { describe, expect, it } from 'vitest';
import {
  compileProfile,
  InputError,
  LayoutError,
  listingUrl,
  ProfileError,
  parseListing,
  profileSpecKeys,
  profileToSpec,
} from '../src/index.js';
import { fixtureBytes } from './fixtures.js';

const SITE = 'https://www.example-school.edu.cn';
const NEWS_PAGE = `${SITE}/xwzx/`;
const apiPage = (n: number) => `${SITE}/api/cms/article/list?pageNum=${n}&pageSize=4`;

/** The school's news, read from the endpoint its news page calls. */
const spec = {
  name: '示例学校',
  list: {
    json: { items: 'data.list', title: 'title', link: 'url', date: 'publishTime', content: 'summary' },
  },
  api: { url: '/api/cms/article/list?pageNum={n}&pageSize=4', totalPages: 'data.pages' },
};
const profile = compileProfile(spec, { id: 'school' });
const page = (n: number) => fixtureBytes(`json/article-list-page${n}.json`);

/** The error `run` throws; fails when it throws none. */
function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('JSON sources: a written profile reads a JSON document', () => {
  it('the first request is the endpoint, relative to the site root', () => {
    expect(listingUrl(NEWS_PAGE, profile)).toBe(apiPage(1));
    expect(listingUrl(NEWS_PAGE, 'auto')).toBe(NEWS_PAGE);
    expect(listingUrl(NEWS_PAGE)).toBe(NEWS_PAGE);
  });

  it('reads every item by its dotted paths, content HTML as paragraphs', () => {
    const listing = parseListing(page(1), { url: apiPage(1), profile, contentType: 'application/json' });
    expect(
      listing.articles.map((article) => [
        article.title,
        article.url,
        article.publishedAt,
        article.datePrecision,
      ]),
    ).toEqual([
      [
        '我校获批两项国家自然科学基金重点项目',
        `${SITE}/xwzx/2024/1007.html`,
        '2024-12-05T10:20:00+08:00',
        'second',
      ],
      [
        '我校学子在全国大学生数学建模竞赛中获佳绩',
        `${SITE}/xwzx/2024/1006.html`,
        '2024-12-04T16:05:00+08:00',
        'second',
      ],
      ['学校召开2025年度工作谋划会', `${SITE}/xwzx/2024/1005.html`, '2024-12-03T09:30:00+08:00', 'second'],
      ['图书馆“悦读冬日”系列活动启动', `${SITE}/xwzx/2024/1004.html`, '2024-12-02T14:00:00+08:00', 'second'],
    ]);
    expect(listing.articles[0]?.contentText).toBe('我校获批两项国家自然科学基金重点项目。\n\n（科研处供稿）');
    expect(listing.source.name).toBe('示例学校');
    expect(listing.jsonDetection).toBeUndefined();
  });

  it('pages the endpoint by {n} up to the page count the answer gives', () => {
    const first = parseListing(page(1), { url: apiPage(1), profile });
    expect(first.pages).toEqual({ current: 1, total: 2, urls: [apiPage(1), apiPage(2)], next: apiPage(2) });
    const second = parseListing(page(2), { url: apiPage(2), profile });
    expect(second.articles.map((article) => article.title)).toEqual([
      '学校举行第十二届校园科技文化节闭幕式',
      '化学学院与天津市多家企业签署校企合作协议',
      '学校召开学习贯彻党的二十届三中全会精神宣讲会',
    ]);
    expect(second.pages).toEqual({ current: 2, total: 2, urls: [apiPage(1), apiPage(2)] });
  });

  it('without a page count, asks for the next page while a page holds items; {n} may be an offset', () => {
    const offsets = compileProfile({
      list: spec.list,
      api: { url: `${SITE}/api/news?offset={n}&limit=4`, firstIndex: 0, step: 4 },
    });
    expect(listingUrl(NEWS_PAGE, offsets)).toBe(`${SITE}/api/news?offset=0&limit=4`);
    const listing = parseListing(page(1), { url: `${SITE}/api/news?offset=4&limit=4`, profile: offsets });
    expect(listing.pages).toEqual({
      current: 2,
      total: null,
      urls: [`${SITE}/api/news?offset=4&limit=4`],
      next: `${SITE}/api/news?offset=8&limit=4`,
    });
  });

  it('a misspelt items path is a typed error naming the path and the key meant', () => {
    const wrong = compileProfile(
      { list: { json: { ...spec.list.json, items: 'data.lsit' } } },
      { id: 'school' },
    );
    const error = thrown(() => parseListing(page(1), { url: apiPage(1), profile: wrong }));
    expect(error).toBeInstanceOf(LayoutError);
    expect(error).toMatchObject({
      code: 'bad-json-path',
      profile: 'school',
      rule: 'list.json.items: data.lsit',
    });
    expect(error.message).toBe(
      `Profile "school": list.json.items "data.lsit" finds nothing in the JSON of ${apiPage(1)}: ` +
        '"data" has no "lsit" (did you mean "data.list"?).',
    );
  });

  it('an items path at an object, or a field path no item has, is named too', () => {
    const atObject = compileProfile(
      { list: { json: { ...spec.list.json, items: 'data' } } },
      { id: 'school' },
    );
    expect(thrown(() => parseListing(page(1), { url: apiPage(1), profile: atObject })).message).toContain(
      'list.json.items "data" in the JSON of',
    );
    expect(thrown(() => parseListing(page(1), { url: apiPage(1), profile: atObject })).message).toContain(
      'is an object, not a list (its lists: data.list).',
    );

    const field = compileProfile(
      { list: { json: { ...spec.list.json, date: 'publishedTime' } } },
      { id: 'school' },
    );
    const error = thrown(() => parseListing(page(1), { url: apiPage(1), profile: field }));
    expect(error).toMatchObject({ code: 'bad-json-path', rule: 'list.json.date: publishedTime' });
    expect(error.message).toContain(
      'list.json.date "publishedTime" is in none of the 4 items of "data.list"',
    );
    expect(error.message).toContain('the first item has no "publishedTime" (did you mean "publishTime"?)');
  });

  it('one item without a field is skipped and reported, not fatal', () => {
    const body = JSON.parse(page(1).toString('utf8'));
    delete body.data.list[2].url;
    const listing = parseListing(JSON.stringify(body), { url: apiPage(1), profile });
    expect(listing.articles).toHaveLength(3);
    expect(listing.skipped).toEqual([{ index: 2, field: 'link', reason: 'no-link', value: '' }]);
  });

  it('reads links from templates and Unix times in seconds or milliseconds', () => {
    const json = JSON.stringify({
      rows: [
        { id: 88, name: '第一条', ts: 1733284800 },
        { id: 87, name: '第二条', ts: 1733187600000 },
      ],
    });
    const templated = compileProfile({
      list: { json: { items: 'rows', title: 'name', link: '/news/{id}.html', date: 'ts' } },
    });
    const listing = parseListing(json, { url: `${SITE}/api/rows`, profile: templated });
    expect(listing.articles.map((article) => [article.url, article.publishedAt])).toEqual([
      [`${SITE}/news/88.html`, '2024-12-04T12:00:00+08:00'],
      [`${SITE}/news/87.html`, '2024-12-03T09:00:00+08:00'],
    ]);
  });

  it('a JSON document read without JSON rules has its list found by detection', () => {
    const listing = parseListing(page(1), { url: apiPage(1) });
    expect(listing.jsonDetection).toEqual({
      rules: { items: 'data.list', title: 'title', link: 'url', date: 'publishTime', content: 'summary' },
      count: 4,
    });
    expect(listing.articles).toHaveLength(4);
  });

  it('a body declared JSON that does not parse is an InputError', () => {
    const error = thrown(() =>
      parseListing('{"code":200,"data":{"list":[', { url: apiPage(1), contentType: 'application/json' }),
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ code: 'bad-json' });
    expect(error.message).toMatch(/is not valid JSON .*: it may be truncated/);
  });
});

describe('JSON rules in the config form', () => {
  it('round-trip through the written form', () => {
    const written = profileToSpec(profile);
    expect(written).toMatchObject({ list: spec.list, api: spec.api });
    const again = compileProfile(JSON.parse(JSON.stringify(written)), { id: 'school' });
    expect(parseListing(page(1), { url: apiPage(1), profile: again }).articles).toEqual(
      parseListing(page(1), { url: apiPage(1), profile }).articles,
    );
  });

  it.each([
    [{ list: { json: { items: 'data.list', title: 'title', link: 'url' } } }, /list\.json\.date: /],
    [
      { list: { json: { ...spec.list.json, items: 'data..list' } } },
      /list\.json\.items: "data\.\.list" is not a dotted path/,
    ],
    [
      { list: { json: { ...spec.list.json, link: '/news/{id.html' } } },
      /list\.json\.link: "\/news\/\{id\.html" is neither/,
    ],
    [{ list: spec.list, api: { url: '/api/news' } }, /api\.url: must contain \{n\}/],
    [
      { list: spec.list, api: { url: 'api/news?page={n}' } },
      /api\.url: must be an absolute http\(s\) URL, or a path/,
    ],
    [{ api: spec.api }, /api: an endpoint is read with JSON rules: add list: \{ json:/],
    [{ list: { json: { ...spec.list.json, itmes: 'x' } } }, /list\.json: Unrecognized key: "itmes"/],
  ])('refuses %j, naming the key', (written, message) => {
    const error = thrown(() => compileProfile(written));
    expect(error).toBeInstanceOf(ProfileError);
    expect(error.message).toMatch(message);
  });

  it('knows the keys of the JSON rules and the endpoint, for "did you mean" hints', () => {
    expect(profileSpecKeys(['list'])).toContain('json');
    expect(profileSpecKeys(['list', 'json'])).toEqual([
      'items',
      'title',
      'link',
      'date',
      'content',
      'embedded',
    ]);
    expect(profileSpecKeys(['api'])).toEqual(['url', 'firstIndex', 'step', 'totalPages']);
    expect(profileSpecKeys([])).toContain('api');
  });
});
