import { genericArticle, genericSource, nextPageLink, trsPagination } from './generic.js';
import type { SiteProfile } from './types.js';

/** TRS WCM permalinks: `./202412/t20241204_6797100.html`. */
const TRS_PERMALINK = /(?:^|\/)t\d{8}_\d+\.s?html?(?:[?#]|$)/;

/**
 * Sites built on TRS WCM, the CMS behind most Chinese government sites. They share conventions but
 * not templates, so the list is found by detection, restricted to TRS permalinks; pagination and
 * article pages follow the conventions.
 */
export const trsFamily: SiteProfile = {
  id: 'trs',
  name: '',
  description:
    'Any TRS WCM site: index_N.html pages, createPageHTML(), ./YYYYMM/tYYYYMMDD_ID.html links, TRS_Editor bodies',
  match: {
    hosts: [],
    page: [
      { selector: 'script', pattern: /createPageHTML\(/ },
      { selector: '.TRS_Editor' },
      { selector: 'a[href]', attribute: 'href', pattern: TRS_PERMALINK },
      { selector: 'a[onclick]', attribute: 'onclick', pattern: /t\d{8}_\d+\.s?html?/ },
    ],
  },
  timeZone: 'Asia/Shanghai',
  language: 'zh-CN',
  examples: ['https://jy.tj.gov.cn/JYXW/TJJY/'],
  source: genericSource,
  detect: { linkPattern: TRS_PERMALINK },
  pagination: { ...trsPagination, next: nextPageLink },
  article: genericArticle,
};
