export { type CharsetDecision, type CharsetSource, chooseCharset } from './decode/charset.js';
export { type DecodedText, decodeBytes } from './decode/decode.js';
export {
  type CandidateSignals,
  type DetectedCandidate,
  type DetectOptions,
  detectList,
  type ListDetection,
} from './detect/index.js';
export { DateError, DecodeError, InputError, LayoutError, ProfileError, TidingsError } from './errors.js';
export { describeRules } from './extract/rules.js';
export type { PageInput } from './input.js';
export { listingUrl } from './json/api.js';
export type { JsonListDetection } from './json/types.js';
export { containsDate, type DateOptions, type ParsedDate, parseDate, readDate } from './normalize/dates.js';
export { parseHtml } from './normalize/html.js';
export { sanitizeHtml } from './normalize/sanitize.js';
export { describeSkippedItem } from './normalize/skipped.js';
export { summarize } from './normalize/summary.js';
export { parseArticle } from './parse-article.js';
export { parseListing } from './parse-listing.js';
export { autoProfile } from './profiles/auto.js';
export { hanwebFamily } from './profiles/hanweb.js';
export { builtinProfiles, ProfileRegistry, profiles } from './profiles/registry.js';
export {
  type CheckedProfileSpec,
  compileProfile,
  type FieldRuleSpec,
  type ProfileSpec,
  profileFromSpec,
  profileSpecKeys,
  profileSpecSchema,
  profileToSpec,
} from './profiles/spec.js';
export { tjEducation } from './profiles/tj-education.js';
export { trsFamily } from './profiles/trs.js';
export type {
  ApiRules,
  ArticleRules,
  DetectHints,
  FieldRule,
  FieldRules,
  JsonListRules,
  ListRules,
  ListSource,
  ListSourceContext,
  ListSourcePage,
  PaginationRules,
  SiteProfile,
  TextRules,
} from './profiles/types.js';
export type {
  Article,
  ArticleAttachment,
  ArticleImage,
  DatePrecision,
  ItemField,
  ListingResult,
  PageInfo,
  PageRequest,
  ParseOptions,
  ProfileChoice,
  SkippedItem,
  SkipReason,
  SourceInfo,
} from './types.js';
