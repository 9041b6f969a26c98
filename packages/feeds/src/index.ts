export { FeedError } from './errors.js';
export { FEED_CONTENT_TYPES, renderFeed } from './render.js';
export { feedStylesheet } from './stylesheet.js';
export type { FeedArticle, FeedChannel, FeedFormat } from './types.js';
