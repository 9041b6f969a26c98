export { DEFAULT_USER_AGENT } from './defaults.js';
export { FetchError, type FetchErrorCode } from './errors.js';
export { Fetcher } from './fetcher.js';
export { isFetcherOwnedHeader } from './request-headers.js';
export type { FetcherOptions, FetchLogger, FetchRequest, FetchResult } from './types.js';
