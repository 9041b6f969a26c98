import type { ArticleRules, FieldRule, SiteProfile, TextRules } from './types.js';

/**
 * Rules that hold on most Chinese news sites whatever their CMS: the `<meta>` names TRS, 大汉 and
 * others write, the title bar's `section_site` order, and the labels (`发布时间：`, `来源：`)
 * article pages print. Family and detected profiles start from these.
 */

// `标题_栏目_网站`, `标题 - 网站`, `标题|网站`: the first part names the page, the last the site.
const TITLE_FIRST_PART = /^\s*(.+?)\s*(?:[_|–—]|\s-\s|$)/;
const TITLE_LAST_PART = /(?:[_|–—]|\s-\s)\s*([^_|–—]+?)\s*$/;

export const genericSource: SiteProfile['source'] = {
  name: [
    { selector: 'meta[name="SiteName"]', attribute: 'content' },
    { selector: 'meta[property="og:site_name"]', attribute: 'content' },
    { selector: 'title', pattern: TITLE_LAST_PART },
  ],
  section: [
    { selector: 'meta[name="ColumnName"]', attribute: 'content' },
    { selector: 'meta[name="catalogs"]', attribute: 'content' },
    { selector: 'title', pattern: TITLE_FIRST_PART },
  ],
};

/**
 * A listing's text as copied or dumped: the breadcrumb (`您当前的位置: 首页 > 教育动态 > 天津教育`)
 * names the section; a pager or the footer ends the last item's text.
 */
export const genericText: TextRules = {
  breadcrumb: /^(?:您当前的位置|您现在的位置|当前位置|您的位置|所在位置|位置)\s*[:：]\s*(.+)$/,
  separator: /\s*[>＞»›→]\s*/,
  stopAt: [/^(首页|上一页|下一页|尾页|末页)$/, /共\s*\d+\s*页/, /^(主办单位|版权所有|Copyright\b)/i],
  total: /共\s*(\d+)\s*页/,
  current: /当前第\s*(\d+)\s*页/,
};

export const genericArticle: ArticleRules = {
  title: [
    { selector: 'meta[name="ArticleTitle"]', attribute: 'content' },
    { selector: 'meta[property="og:title"]', attribute: 'content' },
    // VSB (WebPlus) wraps an article in this form, its title an <h1>–<h3>; its <title> adds the site after a bare `-`.
    { selector: 'form[name="_newscontent_fromname"] :is(h1, h2, h3)' },
    { selector: '[class*="title"] h1' },
    { selector: 'h1[class*="title"]' },
    { selector: '[class*="article"] h1' },
    { selector: '[class*="content"] h1' },
    { selector: 'h2[class*="title"]' },
    { selector: '[class*="title"] h2' },
    { selector: 'h1' },
    { selector: 'title', pattern: TITLE_FIRST_PART },
  ],
  // What CMSs write for machines; a labelled date printed under the title comes first (detectDate).
  publishedAt: [
    { selector: 'meta[name="PubDate" i]', attribute: 'content' },
    { selector: 'meta[name="publishdate" i], meta[name="publish_date" i]', attribute: 'content' },
    {
      selector: 'meta[property="article:published_time"], meta[name="article:published_time"]',
      attribute: 'content',
    },
    {
      selector:
        'meta[property="og:article:published_time"], meta[property="og:published_time"], meta[property="og:release_date"]',
      attribute: 'content',
    },
    { selector: 'script[type="application/ld+json"]', pattern: /"datePublished"\s*:\s*"([^"]+)"/ },
    { selector: 'meta[itemprop="datePublished"]', attribute: 'content' },
    { selector: 'time[datetime]', attribute: 'datetime' },
  ],
  detectDate: true,
  author: [
    { selector: 'meta[name="ContentSource"]', attribute: 'content' },
    { selector: 'body', pattern: /来源\s*[:：]\s*([^\s　|：:]+)/ },
  ],
  body: [
    '.TRS_Editor',
    '#zoom',
    '.v_news_content',
    '.article-content',
    '.article_content',
    '.content-text',
    '#content',
    '.content',
    'article',
    'main',
  ],
  detectBody: true,
};

/** A link whose text says "next page", in the words Chinese sites use. */
export const nextPageLink: readonly FieldRule[] = [
  { selector: 'a[rel~="next"]', attribute: 'href' },
  { selector: 'a:contains("下一页")', attribute: 'href' },
  { selector: 'a:contains("下页")', attribute: 'href' },
];

/** TRS's pager script, `createPageHTML(total, zeroBasedCurrent, "index", "html")`, and its file names. */
export const trsPagination = {
  total: { selector: 'script', pattern: /createPageHTML\(\s*(\d+)/ },
  current: { selector: 'script', pattern: /createPageHTML\(\s*\d+\s*,\s*(\d+)/ },
  currentIsZeroBased: true,
  firstPage: 'index.html',
  pageUrl: 'index_{n}.html',
  firstIndex: 1,
} as const;
