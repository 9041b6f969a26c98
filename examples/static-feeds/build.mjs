// Turns a folder of saved listing pages into feed files for a static host:
//   node build.mjs [--pages pages] [--out out] [--base-url https://static.example.org/feeds/]
// pages/sources.json names each feed and maps its files to the URLs they were saved from.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { renderFeed } from '@tidings/feeds';
import { parseListing } from '@tidings/parser';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: join(import.meta.dirname, 'pages') },
    out: { type: 'string', default: join(import.meta.dirname, 'out') },
    'base-url': { type: 'string', default: 'https://static.example.org/feeds/' },
  },
});
const pagesDir = resolve(values.pages);
const outDir = resolve(values.out);
const baseUrl = new URL(values['base-url'].replace(/\/?$/, '/')).href;

/** Every page of one source, merged: one article per id, newest first. */
function readSource({ profile, pages }) {
  const byId = new Map();
  let source;
  for (const [file, url] of Object.entries(pages)) {
    const listing = parseListing(readFileSync(join(pagesDir, file)), { url, ...(profile && { profile }) });
    source ??= listing.source;
    for (const article of listing.articles) if (!byId.has(article.id)) byId.set(article.id, article);
  }
  const articles = [...byId.values()].sort((a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt));
  return { source, articles };
}

const shown = (file) => (relative('.', file).startsWith('..') ? file : relative('.', file));
const write = (name, body, note) => {
  writeFileSync(join(outDir, name), body);
  console.log(`${shown(join(outDir, name)).padEnd(24)} ${note}`);
};

mkdirSync(outDir, { recursive: true });
const feeds = [];
for (const entry of JSON.parse(readFileSync(join(pagesDir, 'sources.json'), 'utf8'))) {
  const { source, articles } = readSource(entry);
  const title = entry.title ?? `${source.section} – ${source.name}`;
  for (const format of ['rss', 'atom', 'json']) {
    const file = `${entry.name}.${format}`;
    const channel = { title, homeUrl: source.url, selfUrl: baseUrl + file, author: { name: source.name } };
    write(
      file,
      renderFeed(channel, articles, format),
      `${String(articles.length).padStart(3)} items  ${baseUrl}${file}`,
    );
  }
  feeds.push({ name: entry.name, title, homeUrl: source.url, count: articles.length });
}

// A page listing the feeds, with <link rel="alternate"> so readers find them from its address.
const escapeHtml = (text) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const alternate = (feed) =>
  `<link rel="alternate" type="application/atom+xml" title="${escapeHtml(feed.title)}" href="${baseUrl}${feed.name}.atom">`;
const item = (feed) =>
  `<li><a href="${escapeHtml(feed.homeUrl)}">${escapeHtml(feed.title)}</a> (${feed.count} articles): ` +
  `<a href="${feed.name}.rss">RSS</a> · <a href="${feed.name}.atom">Atom</a> · <a href="${feed.name}.json">JSON Feed</a></li>`;
write(
  'index.html',
  `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>Feeds</title>
${feeds.map(alternate).join('\n')}
</head>
<body>
<h1>Feeds</h1>
<ul>
${feeds.map(item).join('\n')}
</ul>
</body>
</html>
`,
  `${feeds.length} feeds`,
);
