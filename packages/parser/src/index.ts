export { type CharsetDecision, type CharsetSource, chooseCharset } from './decode/charset.js';
export { decodeBytes } from './decode/decode.js';
export { DecodeError, InputError, LayoutError, ProfileError, TidingsError } from './errors.js';
export type { PageInput } from './input.js';
export { type ParsedDate, parseDate } from './normalize/dates.js';
export { sanitizeHtml } from './normalize/sanitize.js';
export { summarize } from './normalize/summary.js';
export { parseArticle } from './parse-article.js';
export { parseListing } from './parse-listing.js';
export { builtinProfiles, ProfileRegistry, profiles } from './profiles/registry.js';
export { tjEducation } from './profiles/tj-education.js';
export type {
  ArticleRules,
  FieldRule,
  FieldRules,
  ListRules,
  PaginationRules,
  SiteProfile,
  TextRules,
} from './profiles/types.js';
export type {
  Article,
  ArticleAttachment,
  ArticleImage,
  DatePrecision,
  ListingResult,
  PageInfo,
  ParseOptions,
  SourceInfo,
} from './types.js';
