import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runNode, startExample } from './run.js';

interface JsonFeed {
  feed_url: string;
  items: { id: string; title: string; date_published: string }[];
}

const FILES = [
  'tjjy.rss',
  'tjjy.atom',
  'tjjy.json',
  'school-news.rss',
  'school-news.atom',
  'school-news.json',
];

const isNewestFirst = (instants: number[]) =>
  instants.every((t, i) => i === 0 || t <= (instants[i - 1] ?? t));

describe('examples/static-feeds', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'tidings-static-feeds-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('writes valid feeds for both sources, by its README command (default base URL)', async () => {
    const out = tempDir();
    const { code, stdout, stderr } = await startExample('static-feeds', ['--out', out]).done();
    expect(code, stderr).toBe(0);
    // One line per file written.
    const lines = stdout.trim().split('\n');
    expect(lines.map((line) => line.split(/\s+/)[0])).toEqual([
      ...FILES.map((file) => join(out, file)),
      join(out, 'index.html'),
    ]);
    expect(lines[0]).toMatch(/ 37 items {2}https:\/\/static\.example\.org\/feeds\/tjjy\.rss$/);
    expect(lines[3]).toMatch(/ 8 items {2}https:\/\/static\.example\.org\/feeds\/school-news\.rss$/);
    expect(readdirSync(out).sort()).toEqual([...FILES, 'index.html'].sort());

    // Well-formed XML.
    const xml = FILES.filter((file) => !file.endsWith('.json')).map((file) => join(out, file));
    execFileSync('xmllint', ['--noout', ...xml], { stdio: 'pipe' });

    // The section's three pages, merged: 37 distinct articles, newest first.
    const json = JSON.parse(readFileSync(join(out, 'tjjy.json'), 'utf8')) as JsonFeed;
    expect(json.feed_url).toBe('https://static.example.org/feeds/tjjy.json');
    expect(json.items).toHaveLength(37);
    expect(new Set(json.items.map((item) => item.id)).size).toBe(37);
    expect(json.items[0]?.title).toBe('我市基础教育扩优提质高质量发展');
    expect(json.items.at(-1)?.date_published).toBe('2024-11-18T00:00:00+08:00');
    expect(isNewestFirst(json.items.map((item) => Date.parse(item.date_published)))).toBe(true);

    const rss = readFileSync(join(out, 'tjjy.rss'), 'utf8');
    expect(rss.match(/<item>/g)).toHaveLength(37);
    expect(rss).toContain(
      '<atom:link rel="self" type="application/rss+xml" href="https://static.example.org/feeds/tjjy.rss"/>',
    );
    const pubDates = [...rss.matchAll(/<pubDate>([^<]+)<\/pubDate>/g)].map((match) =>
      Date.parse(match[1] ?? ''),
    );
    expect(pubDates).toHaveLength(37);
    expect(isNewestFirst(pubDates)).toBe(true);

    const atom = readFileSync(join(out, 'tjjy.atom'), 'utf8');
    expect(atom.match(/<entry/g)).toHaveLength(37);
    expect(atom).toContain(
      '<link rel="self" type="application/atom+xml" href="https://static.example.org/feeds/tjjy.atom"/>',
    );

    // The page of another shape, read by detection.
    const school = JSON.parse(readFileSync(join(out, 'school-news.json'), 'utf8')) as JsonFeed;
    expect(school.items).toHaveLength(8);
    expect(school.items[0]?.title).toBe('我校第十届校园科技节开幕 千余名学生参与创客挑战');
    expect(readFileSync(join(out, 'school-news.rss'), 'utf8').match(/<item>/g)).toHaveLength(8);

    const index = readFileSync(join(out, 'index.html'), 'utf8');
    for (const file of FILES) expect(index).toContain(`href="${file}"`);
    expect(index).toContain('href="https://static.example.org/feeds/tjjy.atom"');
  }, 60_000);

  it('bases every self link on --base-url', async () => {
    const out = tempDir();
    const { code, stderr } = await runNode('static-feeds', [
      'build.mjs',
      '--out',
      out,
      '--base-url',
      'https://news.example.net/feeds',
    ]).done();
    expect(code, stderr).toBe(0);
    for (const name of ['tjjy', 'school-news']) {
      const base = `https://news.example.net/feeds/${name}`;
      expect(readFileSync(join(out, `${name}.rss`), 'utf8')).toContain(`href="${base}.rss"`);
      expect(readFileSync(join(out, `${name}.atom`), 'utf8')).toContain(`<id>${base}.atom</id>`);
      const json = JSON.parse(readFileSync(join(out, `${name}.json`), 'utf8')) as JsonFeed;
      expect(json.feed_url).toBe(`${base}.json`);
    }
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain(
      'href="https://news.example.net/feeds/tjjy.atom"',
    );
  });
});
