import { describe, expect, it } from 'vitest';
import {
  type Article,
  type ListingResult,
  type ParseOptions,
  type ProfileChoice,
  parseArticle,
  parseListing,
} from '../src/index.js';
import { fixtureBytes, SECTION_URL, sectionPage } from './fixtures.js';

/** Parses with `parse`, and says which profile was chosen and why. */
function chosen<T>(parse: (options: Pick<ParseOptions, 'onProfile'>) => T): { result: T; choice: string[] } {
  const choice: string[] = [];
  const result = parse({
    onProfile: (profile, by: ProfileChoice) => {
      choice.push(profile.id, by);
    },
  });
  return { result, choice };
}

const OTHER_SITE = 'https://www.example.edu.cn/xwzx/';

describe('a page no profile knows is read by detection, with no profile named', () => {
  it('an HTML listing: the list detection finds, as with profile: auto', () => {
    const html = fixtureBytes('layouts/cards.html');
    const { result, choice } = chosen((options) => parseListing(html, { url: OTHER_SITE, ...options }));
    expect(choice).toEqual(['auto', 'fallback']);
    expect(result).toEqual(parseListing(html, { url: OTHER_SITE, profile: 'auto' }));
    expect(result.detection?.list.item).toBe('div.card-list > div.card');
    expect(result.articles.length).toBeGreaterThan(2);
  });

  it('the text seed: its items, and the section its breadcrumb names', () => {
    const text = fixtureBytes('seed/listing.txt');
    const url = 'file:///home/reader/listing.txt';
    const { result, choice } = chosen((options) => parseListing(text, { url, ...options }));
    expect(choice).toEqual(['auto', 'fallback']);
    expect(result.source.section).toBe('天津教育');
    // The same items the site's own profile reads from the same text.
    const known = parseListing(text, { url: SECTION_URL });
    const items = (listing: ListingResult) =>
      listing.articles.map(({ title, publishedAt, contentText, section }: Article) => ({
        title,
        publishedAt,
        contentText,
        section,
      }));
    expect(items(result)).toEqual(items(known));
    expect(result.articles).toHaveLength(15);
  });

  it('a lynx dump: the section without the numbers lynx gives the breadcrumb’s links', () => {
    const lynx = [
      '当前位置：[1]首页 > [2]新闻中心 > [3]学院新闻',
      '  • [4]学院召开学期工作部署会',
      '    2024-12-04',
      '  • [5]学院学子在数学建模竞赛中获奖',
      '    2024-12-03',
      '',
      'References',
      '',
      '   4. https://www.example.edu.cn/xwzx/2024/1204/5.htm',
      '   5. https://www.example.edu.cn/xwzx/2024/1203/4.htm',
    ].join('\n');
    const result = parseListing(lynx, { url: OTHER_SITE });
    expect(result.source.section).toBe('学院新闻');
    expect(result.articles.map((article) => article.url)).toEqual([
      'https://www.example.edu.cn/xwzx/2024/1204/5.htm',
      'https://www.example.edu.cn/xwzx/2024/1203/4.htm',
    ]);
  });

  it('an article page: the generic article rules', () => {
    const html = `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>学院召开学期工作部署会 - 示例大学</title></head>
<body><div class="detail"><h1 class="detail-title">学院召开学期工作部署会</h1>
<div class="detail-info">发布时间：2024-12-04 16:05　来源：党委宣传部</div>
<div class="article-content"><p>12月3日下午，学院召开学期工作部署会，总结上半学期工作，部署下半学期的重点任务。</p></div></div></body></html>`;
    const url = 'https://www.example.edu.cn/xwzx/2024/1204/5.htm';
    const { result, choice } = chosen((options) => parseArticle(html, { url, ...options }));
    expect(choice).toEqual(['auto', 'fallback']);
    expect(result).toEqual(parseArticle(html, { url, profile: 'auto' }));
    expect(result).toMatchObject({
      title: '学院召开学期工作部署会',
      publishedAt: '2024-12-04T16:05:00+08:00',
      author: '党委宣传部',
    });
  });

  it('a profile that fits still comes first, and says how it was found', () => {
    const page1 = sectionPage('index.html');
    expect(chosen((options) => parseListing(page1, { url: SECTION_URL, ...options })).choice).toEqual([
      'tj-education',
      'url',
    ]);
    // Elsewhere the page's <meta name="SiteDomain"> still names the site…
    expect(chosen((options) => parseListing(page1, { url: OTHER_SITE, ...options })).choice).toEqual([
      'tj-education',
      'meta',
    ]);
    // … and without it, TRS's marks name the family.
    const unnamed = page1.toString('utf8').replace(/<meta name="SiteDomain"[^>]*>/, '');
    expect(chosen((options) => parseListing(unnamed, { url: OTHER_SITE, ...options })).choice).toEqual([
      'trs',
      'page',
    ]);
    expect(
      chosen((options) => parseListing(page1, { url: OTHER_SITE, profile: 'auto', ...options })).choice,
    ).toEqual(['auto', 'given']);
  });
});
