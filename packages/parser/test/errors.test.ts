import { describe, expect, it } from 'vitest';
import {
  DecodeError,
  InputError,
  LayoutError,
  ProfileError,
  parseArticle,
  parseListing,
  TidingsError,
  tjEducation,
} from '../src/index.js';
import { SECTION_URL, sectionPage } from './fixtures.js';

const url = `${SECTION_URL}index.html`;
const page1 = sectionPage('index.html');

function caught(run: () => unknown): TidingsError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TidingsError);
    return error as TidingsError;
  }
  throw new Error('expected a TidingsError, but nothing was thrown');
}

describe('bad input gives a typed error that says what to do', () => {
  it('requires an absolute page URL', () => {
    const missing = caught(() => parseListing(page1, {} as never));
    expect(missing).toBeInstanceOf(InputError);
    expect(missing.code).toBe('bad-url');
    expect(caught(() => parseListing(page1, { url: 'index.html' })).message).toMatch(/not an absolute/);
    expect(caught(() => parseListing(page1, { url: 'javascript:alert(1)' })).code).toBe('bad-url');
  });

  it('refuses what is not a page: nothing, numbers, objects, empty and blank input', () => {
    for (const input of [undefined, null, 42, {}, []]) {
      expect(caught(() => parseListing(input as never, { url })).code).toBe('bad-input');
    }
    expect(caught(() => parseListing('', { url })).code).toBe('empty');
    expect(caught(() => parseListing(new Uint8Array(0), { url })).code).toBe('empty');
    expect(caught(() => parseListing(' \n\t ', { url })).code).toBe('empty');
  });

  it('refuses binary data', () => {
    const png = Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
    ]);
    const error = caught(() => parseListing(png, { url }));
    expect(error).toBeInstanceOf(DecodeError);
    expect(error.code).toBe('binary');
    const noise = Buffer.from(Array.from({ length: 4096 }, (_, i) => ((i * 7919) % 251) + 1));
    expect(caught(() => parseListing(noise, { url }))).toBeInstanceOf(DecodeError);
    expect(caught(() => parseListing('\u0001\u0002\u0003'.repeat(100), { url })).code).toBe('undecodable');
  });

  it('refuses absurd sizes before parsing them', () => {
    const error = caught(() => parseListing(page1, { url, maxBytes: 1024 }));
    expect(error).toBeInstanceOf(InputError);
    expect(error.code).toBe('too-large');
    expect(error.message).toMatch(/38\.\d KiB, over the 1\.0 KiB limit/);
  });

  it('refuses truncated HTML instead of returning the items before the cut', () => {
    const cut = page1.subarray(0, Math.floor(page1.length / 2));
    const error = caught(() => parseListing(cut, { url }));
    expect(error).toBeInstanceOf(InputError);
    expect(error.code).toBe('truncated');
    expect(error.message).toMatch(/truncated/);
  });

  it('names the profile and the selector when the layout has changed', () => {
    const redesigned = page1.toString('utf8').replaceAll('common-list-right-list', 'news-list');
    const error = caught(() => parseListing(redesigned, { url }));
    expect(error).toBeInstanceOf(LayoutError);
    expect(error.code).toBe('no-articles');
    expect((error as LayoutError).profile).toBe('tj-education');
    expect((error as LayoutError).rule).toBe('list.item: ul.common-list-right-list > li');
    expect(error.message).toContain('ul.common-list-right-list > li');
  });

  it('leaves out an item that lost its date, and reports it', () => {
    const broken = page1.toString('utf8').replace('<p class="list-date">2024-12-03</p>', '');
    const { articles, skipped } = parseListing(broken, { url });
    expect(articles).toHaveLength(14);
    expect(skipped).toEqual([{ index: 4, field: 'date', reason: 'no-date', value: '' }]);
  });

  it('names the field, the count and the first item when most items lost their date', () => {
    const dates = /<p class="list-date">2024-12-0[23]<\/p>/g;
    const broken = page1.toString('utf8').replace(dates, '');
    const error = caught(() => parseListing(broken, { url }));
    expect(error).toBeInstanceOf(LayoutError);
    expect(error.code).toBe('missing-field');
    expect((error as LayoutError).rule).toBe('list.date: .list-date');
    expect(error.message).toMatch(/11 of 15 items .* are unusable \(11 with no date\)/);
    expect(error.message).toMatch(/article 5 of 15 .* has no date \(looked for \.list-date\)/);
  });

  it('reads a page no profile fits by detection, and says when that finds no list', () => {
    const error = caught(() =>
      parseListing('<html><body><ul><li>x</li></ul></body></html>', { url: 'https://example.org/news/' }),
    );
    expect(error).toBeInstanceOf(LayoutError);
    expect(error.code).toBe('no-list');
    expect((error as LayoutError).profile).toBe('auto');
    expect(error.message).toMatch(/^Found no list of articles on https:\/\/example\.org\/news\//);
  });

  it('says which profiles exist when the one named does not', () => {
    const error = caught(() => parseListing(page1, { url, profile: 'nope' }));
    expect(error).toBeInstanceOf(ProfileError);
    expect(error.code).toBe('unknown-profile');
    expect(error.message).toContain('tj-education');
  });

  it('reports an invalid selector in a custom profile as a profile error', () => {
    const profile = { ...tjEducation, id: 'broken', list: { ...tjEducation.list!, item: 'li[' } };
    const error = caught(() => parseListing(page1, { url, profile }));
    expect(error).toBeInstanceOf(ProfileError);
    expect(error.message).toContain('li[');
  });

  it('refuses a text page as an article page', () => {
    expect(caught(() => parseArticle('标题\n2024-12-04\n正文', { url })).code).toBe('not-html');
  });

  it('refuses a listing page as an article page, naming what is missing', () => {
    const error = caught(() => parseArticle(page1, { url }));
    expect(error).toBeInstanceOf(LayoutError);
    expect(error.message).toMatch(/article body|title|publication time/);
  });
});
