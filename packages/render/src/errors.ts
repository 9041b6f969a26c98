import { TidingsError } from '@tidings/parser';

export type RenderErrorCode =
  /** No Chromium where the renderer looks: install it or give its path. */
  | 'no-browser'
  /** playwright-core, which drives Chromium, is not installed. */
  | 'no-playwright'
  /** Chromium is there but did not start (missing libraries, a sandbox that refuses). */
  | 'launch-failed'
  /** The page did not load within the time limit. */
  | 'timeout'
  /** The caller cancelled the render (its signal). */
  | 'aborted'
  /** The renderer was closed, or Chromium went away mid-render. */
  | 'closed'
  /** Options out of range. */
  | 'bad-options'
  /** Anything else the browser reported while loading the page. */
  | 'render-failed';

/** Every way a render fails, other than the page's own fetch (that is the fetcher's FetchError). */
export class RenderError extends TidingsError {
  declare readonly code: RenderErrorCode;
  /** The page being rendered, when there was one. */
  readonly url: string | undefined;

  constructor(code: RenderErrorCode, message: string, details: { url?: string; cause?: unknown } = {}) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.url = details.url;
  }
}
