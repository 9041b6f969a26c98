import { sectionPage } from './fixtures.js';

/** What one item of a generated listing shows: the parts a CMS glitch breaks. */
export interface ListItem {
  title: string;
  /** The whole `onclick` attribute, e.g. `isDownLoad(this,'./202412/t20241204_7000000.html')`. */
  onclick: string;
  date: string;
}

const DAY_MS = 86_400_000;

/** The n-th (0-based) item: a distinct title and permalink, ten items a day back from 2024-12-04. */
export function listItem(index: number): ListItem {
  const day = new Date(Date.UTC(2024, 11, 4) - Math.floor(index / 10) * DAY_MS).toISOString().slice(0, 10);
  const compact = day.replaceAll('-', '');
  return {
    title: `全市教育系统工作会议第${index + 1}次召开`,
    onclick: `isDownLoad(this,'./${compact.slice(0, 6)}/t${compact}_${7_000_000 + index}.html')`,
    date: day,
  };
}

/** The permalink the tj-education profile reads for `listItem(index)` on the section. */
export function listItemUrl(index: number): string {
  const path = /'\.\/([^']+)'/.exec(listItem(index).onclick)?.[1] as string;
  return `https://jy.tj.gov.cn/JYXW/TJJY/${path}`;
}

const escapeAttribute = (text: string) => text.replaceAll('&', '&amp;').replaceAll('"', '&quot;');
const escapeText = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;');

function itemHtml({ title, onclick, date }: ListItem): string {
  return `      <li>
        <span class="list-dot">·</span>
        <a href="javascript:void(0);" onclick="${escapeAttribute(onclick)}" title="${escapeAttribute(title)}">
          <p class="list-content">${escapeText(title)}</p>
        </a>
        <p class="list-date">${escapeText(date)}</p>
      </li>
`;
}

/**
 * Page 1 of the jy.tj.gov.cn section (test/fixtures/jy.tj.gov.cn/JYXW/TJJY/index.html) with its
 * list replaced by `count` generated items, each passed through `change` first (to break some).
 */
export function generatedListing(
  count: number,
  change: (item: ListItem, index: number) => ListItem = (item) => item,
): string {
  const page = sectionPage('index.html').toString('utf8');
  const list = page.indexOf('<ul class="common-list-right-list">');
  const start = page.indexOf('<li>', list);
  const end = page.lastIndexOf('</li>', page.indexOf('<div class="page-list">')) + '</li>'.length;
  const items = Array.from({ length: count }, (_, index) => itemHtml(change(listItem(index), index)));
  return `${page.slice(0, start)}${items.join('')}${page.slice(end)}`;
}
