import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));
export const SECTION_URL = 'https://jy.tj.gov.cn/JYXW/TJJY/';
export const SECTION_DIR = `${FIXTURES}jy.tj.gov.cn/JYXW/TJJY/`;

export function fixtureBytes(relative: string): Buffer {
  return readFileSync(FIXTURES + relative);
}

/** A page of the mirrored section, by its path below the section, e.g. `index_1.html`. */
export function sectionPage(path: string): Buffer {
  return readFileSync(SECTION_DIR + path);
}

/** The mirrored file behind an article URL of the section. */
export function articlePageFor(url: string): Buffer {
  return sectionPage(url.slice(SECTION_URL.length));
}

export interface ExpectedItem {
  title: string;
  date: string;
  link: string;
  textStartsWith: string;
  textEndsWith: string;
}

export const expectedPage1: ExpectedItem[] = JSON.parse(
  readFileSync(`${FIXTURES}seed/expected-page1.json`, 'utf8'),
) as ExpectedItem[];
