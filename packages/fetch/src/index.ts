export { DEFAULT_USER_AGENT } from './defaults.js';
export { FetchError, type FetchErrorCode } from './errors.js';
export { Fetcher } from './fetcher.js';
export {
  type AddressLookup,
  findNonPublicAddressError,
  NonPublicAddressError,
  type NonPublicKind,
  nonPublicKind,
  publicOnlyLookup,
} from './private-network.js';
export { isFetcherOwnedHeader } from './request-headers.js';
export { retryAfterMs } from './retry.js';
export type { FetcherOptions, FetchLogger, FetchRequest, FetchResult } from './types.js';
