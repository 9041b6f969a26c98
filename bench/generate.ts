import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SECTION = fileURLToPath(new URL('../test/fixtures/jy.tj.gov.cn/JYXW/TJJY/', import.meta.url));

/** Page 1 of the section as served: real bytes. */
export function page1(): Buffer {
  return readFileSync(`${SECTION}index.html`);
}

/**
 * A listing in the same template with `count` items, each repeating a real page-1 item (title,
 * inline text, date) under its own link: the shape of a column that lists everything on one page.
 */
export function generatedListing(count: number): Buffer {
  const html = page1().toString('utf8');
  const start = html.indexOf('<li>', html.indexOf('common-list-right-list'));
  const end = html.lastIndexOf('</li>', html.indexOf('<div class="page-list">')) + '</li>'.length;
  const items = html
    .slice(start, end)
    .split(/(?=<li>)/)
    .map((item) => item.trim());
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const item = items[i % items.length] as string;
    out.push(
      item.replace(
        /t(\d{8})_(\d+)\.html/,
        (_m, day: string, id: string) => `t${day}_${Number(id) * 100000 + i}.html`,
      ),
    );
  }
  return Buffer.from(html.slice(0, start) + out.join('\n      ') + html.slice(end), 'utf8');
}
