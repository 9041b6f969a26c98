import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Article, parseArticle, parseListing } from '@tidings/parser';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const SECTION_URL = 'https://jy.tj.gov.cn/JYXW/TJJY/';
const SECTION_DIR = `${FIXTURES}jy.tj.gov.cn/JYXW/TJJY/`;

/** Every article of the snapshot, read from its article page (full text, images, attachments), newest first. */
export function snapshotArticles(): Article[] {
  const listed = ['index.html', 'index_1.html', 'index_2.html'].flatMap(
    (file) => parseListing(readFileSync(SECTION_DIR + file), { url: SECTION_URL + file }).articles,
  );
  return listed.map((item) => {
    const url = item.url as string;
    return parseArticle(readFileSync(SECTION_DIR + url.slice(SECTION_URL.length)), { url });
  });
}

/** Page 1 read from its text: articles with no permalink, so hashed ids. */
export function textSeedArticles(): Article[] {
  return parseListing(readFileSync(`${FIXTURES}seed/listing.txt`), { url: SECTION_URL }).articles;
}

export function snapshotFiles(): string[] {
  return readdirSync(SECTION_DIR, { recursive: true, encoding: 'utf8' }).filter((file) =>
    file.endsWith('.html'),
  );
}
