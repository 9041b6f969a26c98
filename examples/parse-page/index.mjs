// Parses a saved listing page and one of its article pages, and prints what Tidings read.
// Outside this repository: `npm install @tidings/parser`, then `node index.mjs`.
import { readFileSync } from 'node:fs';
import { parseArticle, parseListing } from '@tidings/parser';

const read = (file) => readFileSync(new URL(file, import.meta.url));

// The URL the page was saved from: links resolve against it, and it picks the site's profile.
const listing = parseListing(read('./page.html'), { url: 'https://jy.tj.gov.cn/JYXW/TJJY/index.html' });

console.log(`${listing.source.section} – ${listing.source.name}`);
console.log(`page ${listing.pages.current} of ${listing.pages.total}, ${listing.articles.length} articles:`);
for (const article of listing.articles) {
  console.log(`  ${article.publishedAt.slice(0, 10)}  ${article.title}`);
}

// An article page gives what the listing lacks: the exact time, the origin, the full text.
const url = 'https://jy.tj.gov.cn/JYXW/TJJY/202412/t20241204_6797079.html';
const article = parseArticle(read('./article.html'), { url });

console.log();
console.log(article.title);
console.log(`  time:   ${article.publishedAt.slice(0, 16).replace('T', ' ')} (${article.publishedAt})`);
console.log(`  origin: ${article.author}`);
console.log(`  ${article.contentText.split('\n\n')[0]}`);
