import type { SiteProfile } from './types.js';

/**
 * Tianjin Municipal Education Commission (jy.tj.gov.cn), a TRS-CMS site. Every column shares the
 * template: links hide in `onclick="isDownLoad(this,'./YYYYMM/t….html')"`, the full text of each
 * item sits in a hidden `div.hidDom`, pages are `index.html`, `index_1.html`, …
 */
export const tjEducation: SiteProfile = {
  id: 'tj-education',
  name: '天津市教育委员会',
  description: 'Tianjin Municipal Education Commission news columns (TRS CMS)',
  match: {
    hosts: ['jy.tj.gov.cn'],
    meta: { SiteDomain: 'jy.tj.gov.cn' },
  },
  timeZone: 'Asia/Shanghai',
  language: 'zh-CN',
  examples: ['https://jy.tj.gov.cn/JYXW/TJJY/', 'https://jy.tj.gov.cn/JYXW/TJJY/index_1.html'],
  source: {
    name: { selector: 'meta[name="SiteName"]', attribute: 'content' },
    section: [
      { selector: 'meta[name="ColumnName"]', attribute: 'content' },
      { selector: '.common-list-right-title' },
    ],
  },
  list: {
    item: 'ul.common-list-right-list > li',
    title: [{ selector: 'a[title]', attribute: 'title' }, { selector: '.list-content' }],
    link: [
      { selector: 'a[onclick]', attribute: 'onclick', pattern: /isDownLoad\(\s*this\s*,\s*['"]([^'"]+)['"]/ },
      { selector: 'a[href]:not([href^="javascript:"])', attribute: 'href' },
    ],
    date: { selector: '.list-date' },
    content: '.hidDom .text',
  },
  pagination: {
    total: [
      { selector: 'script', pattern: /createPageHTML\(\s*(\d+)/ },
      { selector: '.page-list', pattern: /共\s*(\d+)\s*页/ },
    ],
    current: [{ selector: '.page-list', pattern: /当前第\s*(\d+)\s*页/ }],
    firstPage: 'index.html',
    pageUrl: 'index_{n}.html',
    firstIndex: 1,
  },
  article: {
    title: [
      { selector: '.article-title h1' },
      { selector: 'meta[name="ArticleTitle"]', attribute: 'content' },
    ],
    publishedAt: [
      { selector: '.article-info span', pattern: /发布时间[:：]\s*(.+)/ },
      { selector: 'meta[name="PubDate"]', attribute: 'content' },
    ],
    author: { selector: '.article-info span', pattern: /来源[:：]\s*(.+)/ },
    body: '.TRS_Editor',
    section: { selector: 'meta[name="ColumnName"]', attribute: 'content' },
  },
  text: {
    breadcrumb: /^您当前的位置[:：]\s*(.+)$/,
    separator: '>',
    stopAt: [/^(首页|上一页|下一页|尾页)$/, /共\s*\d+\s*页/, /^主办单位/],
    total: /共\s*(\d+)\s*页/,
    current: /当前第\s*(\d+)\s*页/,
  },
};
