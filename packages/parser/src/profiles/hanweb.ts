import { hanwebDatastore } from '../hanweb/list-source.js';
import { RECORD_CLASS } from '../hanweb/records.js';
import { genericArticle, genericSource } from './generic.js';
import type { ListRules, SiteProfile } from './types.js';

// A date as records print it: `2024-12-04`, `2024/12/4`, `2024年12月4日`, `[2024-12-04 09:00]`.
const RECORD_DATE = /(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)/;
// Hanweb permalinks: `/art/2024/12/4/art_1229_6797100.html`.
const ARTICLE_LINK = 'a[href*="/art/"]';

/** One record is one item; its article link is preferred over a column link beside it. */
const recordRules: ListRules = {
  item: `div.${RECORD_CLASS}`,
  title: [
    { selector: `${ARTICLE_LINK}[title]`, attribute: 'title' },
    { selector: 'a[title]', attribute: 'title' },
    { selector: ARTICLE_LINK },
    { selector: 'a' },
  ],
  link: [
    { selector: ARTICLE_LINK, attribute: 'href' },
    { selector: 'a[href]', attribute: 'href' },
  ],
  date: [{ selector: 'span, i, em, td, font, div, p', pattern: RECORD_DATE }, { pattern: RECORD_DATE }],
};

/**
 * Sites built on Hanweb (大汉) JCMS, behind many Chinese government sites. A column page carries its
 * list as CDATA records in a `<datastore>` inside `<script type="text/xml">`, and its pager POSTs
 * the column's form to `dataproxy.jsp` for the next records, which answers with another datastore.
 * Both are read here; each record is one item, read by `recordRules`; article pages by the generic rules.
 */
export const hanwebFamily: SiteProfile = {
  id: 'hanweb',
  name: '',
  description:
    'Any Hanweb (大汉) JCMS site: lists in a <datastore> of CDATA records, inline or from dataproxy.jsp; /art/Y/M/D/art_COLUMN_ID.html links',
  match: {
    hosts: [],
    page: [
      { selector: 'datastore > recordset' },
      { selector: 'script[type="text/xml"]', pattern: /<datastore[\s>]/ },
    ],
  },
  timeZone: 'Asia/Shanghai',
  language: 'zh-CN',
  examples: [],
  source: genericSource,
  listSource: hanwebDatastore,
  list: recordRules,
  article: genericArticle,
};
