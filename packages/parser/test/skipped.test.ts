import { describe, expect, it } from 'vitest';
import {
  describeSkippedItem,
  LayoutError,
  type ListingResult,
  parseListing,
  type SkippedItem,
  TidingsError,
} from '../src/index.js';
import { SECTION_URL } from './fixtures.js';
import { generatedListing, type ListItem, listItem, listItemUrl } from './generated-listing.js';

const url = `${SECTION_URL}index.html`;
const STUB = "javascript:alert('u1')";
const ITEMS = 2_000;
const BROKEN = 1_233;

/** A 2,000-item page whose items at `broken` indexes have `change` applied. */
function pageWith(broken: (index: number) => boolean, change: Partial<ListItem>): string {
  return generatedListing(ITEMS, (item, index) => (broken(index) ? { ...item, ...change } : item));
}

function layoutError(run: () => unknown): LayoutError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(LayoutError);
    return error as LayoutError;
  }
  throw new Error('expected a LayoutError, but nothing was thrown');
}

describe('a 2,000-item listing with one item whose onclick is a javascript: stub', () => {
  const html = pageWith((index) => index === BROKEN, { onclick: STUB });
  const expected: SkippedItem = { index: BROKEN, field: 'link', reason: 'bad-link', value: STUB };

  it('gives the other 1,999 articles in page order and reports the one', () => {
    const { articles, skipped } = parseListing(html, { url });
    expect(articles).toHaveLength(1_999);
    expect(skipped).toEqual([expected]);
    const urls = articles.map((article) => article.url);
    expect(urls.slice(BROKEN - 1, BROKEN + 1)).toEqual([listItemUrl(BROKEN - 1), listItemUrl(BROKEN + 1)]);
    expect(urls.at(-1)).toBe(listItemUrl(ITEMS - 1));
    expect(articles[BROKEN]?.title).toBe(listItem(BROKEN + 1).title);
  });

  it('gives the same articles and the same report by detection (profile: auto)', () => {
    const byProfile = parseListing(html, { url });
    const detected = parseListing(html, { url, profile: 'auto' });
    expect(detected.detection?.list.item).toBe('ul.common-list-right-list > li');
    expect(detected.detection?.count).toBe(ITEMS);
    expect(detected.skipped).toEqual([expected]);
    expect(detected.articles.map((article) => article.url)).toEqual(
      byProfile.articles.map((article) => article.url),
    );
  });

  it('says what is wrong with the item in a sentence', () => {
    expect(describeSkippedItem(expected)).toBe(`link "${STUB}" is not a web address`);
  });
});

describe('a page where more than half the items are unusable is a redesign: LayoutError', () => {
  it('throws when 1,001 of 2,000 links are stubs, with the counts and the first item', () => {
    const html = pageWith((index) => index % 2 === 1 || index === 0, { onclick: STUB });
    const error = layoutError(() => parseListing(html, { url }));
    expect(error.code).toBe('bad-link');
    expect(error.profile).toBe('tj-education');
    expect(error.rule).toMatch(/^list\.link: a\[onclick\] @onclick/);
    expect(error.url).toBe(url);
    expect(error.message).toContain(
      `1,001 of 2,000 items on ${url} are unusable (1,001 with a link that is not a web address)`,
    );
    expect(error.message).toContain(
      `The first: the link of "${listItem(0).title}" (article 1 of 2,000) on ${url} is not a web address`,
    );
    expect(error.message).toContain(`found "${STUB}"`);
  });

  it('throws when every item is unusable', () => {
    const html = pageWith(() => true, { date: '待定' });
    const error = layoutError(() => parseListing(html, { url }));
    expect(error.code).toBe('bad-date');
    expect(error.message).toContain('2,000 of 2,000 items');
    expect(error.message).toContain('not one is usable');
  });

  it('still takes a page where exactly half are unusable', () => {
    const result = parseListing(
      pageWith((index) => index % 2 === 1, { onclick: STUB }),
      { url },
    );
    expect(result.articles).toHaveLength(1_000);
    expect(result.skipped).toHaveLength(1_000);
  });

  it('codes the error by the most common reason', () => {
    const html = generatedListing(10, (item, index) => {
      if (index === 0) return { ...item, title: '' };
      return index < 7 ? { ...item, date: '2024-02-30' } : item;
    });
    const error = layoutError(() => parseListing(html, { url }));
    expect(error.code).toBe('bad-date');
    expect(error.rule).toBe('list.date: .list-date');
    expect(error.message).toContain('7 of 10 items');
    expect(error.message).toContain('(1 with an empty title, 6 with an unreadable date)');
    expect(error.message).toContain(`The first: article 1 of 10 on ${url} has an empty title`);
  });

  it('refuses by detection too, as no list, when most items lack their dates', () => {
    const html = pageWith((index) => index % 3 !== 0, { date: '待定' });
    const error = layoutError(() => parseListing(html, { url, profile: 'auto' }));
    expect(error.code).toBe('no-list');
  });
});

describe('each unusable field gives its skipped entry', () => {
  const skippedOn = (change: Partial<ListItem>, profile?: string): ListingResult => {
    const html = generatedListing(20, (item, index) => (index === 7 ? { ...item, ...change } : item));
    return parseListing(html, { url, ...(profile && { profile }) });
  };

  it.each([undefined, 'auto'])('an empty title (profile %s)', (profile) => {
    const result = skippedOn({ title: '' }, profile);
    expect(result.articles).toHaveLength(19);
    expect(result.skipped).toEqual([{ index: 7, field: 'title', reason: 'empty-title', value: '' }]);
  });

  it('a title of invisible characters only', () => {
    expect(skippedOn({ title: '\u200b\u200b' }).skipped).toEqual([
      { index: 7, field: 'title', reason: 'empty-title', value: '\u200b\u200b' },
    ]);
  });

  it.each([
    ['2024-02-30', undefined],
    ['2024-02-30', 'auto'],
    ['待定', undefined],
    ['待定', 'auto'],
  ])('an unreadable date, %s (profile %s)', (date, profile) => {
    const result = skippedOn({ date }, profile);
    expect(result.articles).toHaveLength(19);
    expect(result.skipped).toEqual([{ index: 7, field: 'date', reason: 'bad-date', value: date }]);
  });

  it('no link at all', () => {
    const html = generatedListing(20, (item, index) => (index === 7 ? { ...item, onclick: '' } : item));
    expect(parseListing(html.replace(' onclick=""', ''), { url }).skipped).toEqual([
      { index: 7, field: 'link', reason: 'no-link', value: '' },
    ]);
  });

  it('a link read by the rules that is no web address', () => {
    const onclick = "isDownLoad(this,'mailto:office@jy.tj.gov.cn')";
    expect(skippedOn({ onclick }).skipped).toEqual([
      { index: 7, field: 'link', reason: 'bad-link', value: 'mailto:office@jy.tj.gov.cn' },
    ]);
  });

  it('keeps an item linking another site (a WeChat post): a web address is a link', () => {
    const onclick = "isDownLoad(this,'https://mp.weixin.qq.com/s/abc')";
    const result = skippedOn({ onclick });
    expect(result.skipped).toEqual([]);
    expect(result.articles[7]?.url).toBe('https://mp.weixin.qq.com/s/abc');
  });

  it('nothing when every item is usable', () => {
    expect(parseListing(generatedListing(20), { url }).skipped).toEqual([]);
  });
});

describe('a skipped value is cut to 200 characters', () => {
  it('cuts a long stub', () => {
    const long = `javascript:${'x'.repeat(300)}`;
    const [skipped] = skippedValues({ onclick: long });
    expect(skipped).toBe(long.slice(0, 200));
  });

  it('counts characters, not UTF-16 units: a rare CJK character is never split', () => {
    const [skipped] = skippedValues({ date: '𠀀'.repeat(300) });
    expect(Array.from(skipped as string)).toHaveLength(200);
    expect(skipped).toBe('𠀀'.repeat(200));
  });

  function skippedValues(change: Partial<ListItem>): string[] {
    const html = generatedListing(5, (item, index) => (index === 2 ? { ...item, ...change } : item));
    return parseListing(html, { url }).skipped.map((item) => item.value);
  }
});

describe('plain-text listings follow the same rules', () => {
  const item = (title: string, date: string) => [`  • ${title}`, `    ${date}`, '    正文。'];
  const text = (dates: readonly string[]) =>
    dates.flatMap((date, index) => item(`全市教育系统工作会议第${index + 1}次召开`, date)).join('\n');

  it('leaves out an item whose date line is no calendar date', () => {
    const result = parseListing(text(['2024-12-04', '2024-02-30', '2024-12-02']), { url: SECTION_URL });
    expect(result.articles.map((article) => article.publishedAt.slice(0, 10))).toEqual([
      '2024-12-04',
      '2024-12-02',
    ]);
    expect(result.skipped).toEqual([{ index: 1, field: 'date', reason: 'bad-date', value: '2024-02-30' }]);
  });

  it('leaves out an item whose title line is only a lynx reference mark', () => {
    const lynx = [...item('[1]', '2024-12-04'), ...item('[2]全市教育工作会议召开', '2024-12-03')].join('\n');
    const result = parseListing(lynx, { url: SECTION_URL });
    expect(result.articles.map((article) => article.title)).toEqual(['全市教育工作会议召开']);
    expect(result.skipped).toEqual([{ index: 0, field: 'title', reason: 'empty-title', value: '' }]);
  });

  it('keeps an item whose lynx reference is a script: a text item needs no link', () => {
    const lynx = [
      ...item('[1]全市教育工作会议召开', '2024-12-04'),
      ...item('[2]全市科学教育交流会举行', '2024-12-03'),
      'References',
      '   1. javascript:void(0);',
      '   2. https://jy.tj.gov.cn/JYXW/TJJY/202412/t20241203_6797000.html',
    ].join('\n');
    const result = parseListing(lynx, { url: SECTION_URL });
    expect(result.skipped).toEqual([]);
    expect(result.articles[0]?.url).toBeUndefined();
    expect(result.articles[0]?.id).toMatch(/^sha256:/);
    expect(result.articles[1]?.url).toBe('https://jy.tj.gov.cn/JYXW/TJJY/202412/t20241203_6797000.html');
  });

  it('refuses a text where most dates are impossible', () => {
    const error = layoutError(() =>
      parseListing(text(['2024-02-30', '2024-13-01', '2024-12-02']), { url: SECTION_URL }),
    );
    expect(error).toBeInstanceOf(TidingsError);
    expect(error.code).toBe('bad-date');
    expect(error.message).toContain('2 of 3 items');
  });
});
