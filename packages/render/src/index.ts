export {
  CHROMIUM_ARGS,
  DEFAULT_CHROMIUM_PATH,
  DEFAULT_MAX_PAGES,
  DEFAULT_PAGE_TIMEOUT_MS,
} from './defaults.js';
export { RenderError, type RenderErrorCode } from './errors.js';
export { BrowserRenderer } from './renderer.js';
export type { PageFetcher, RenderedPage, RendererOptions, RenderRequest, RequestTally } from './types.js';
