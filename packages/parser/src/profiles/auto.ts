import { genericArticle, genericSource, genericText, nextPageLink, trsPagination } from './generic.js';
import type { SiteProfile } from './types.js';

/**
 * For a page no profile knows: the list is detected on each page, the rest read by the generic
 * rules. Never chosen by URL: asked for by name (`profile: auto`), or used when no profile fits.
 */
export const autoProfile: SiteProfile = {
  id: 'auto',
  name: '',
  description: 'Any listing page: the article list is found by detection',
  match: { hosts: [] },
  timeZone: 'Asia/Shanghai',
  language: 'zh-CN',
  examples: [],
  source: genericSource,
  pagination: { ...trsPagination, next: nextPageLink },
  article: genericArticle,
  text: genericText,
};
