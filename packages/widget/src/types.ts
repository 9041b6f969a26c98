/** `detail` of the `tidings-load` event. */
export interface TidingsLoadDetail {
  /** How many items are shown (at most `limit`). */
  items: number;
}

/** `detail` of the `tidings-error` event. */
export interface TidingsErrorDetail {
  /** What went wrong, for logs (`HTTP 404`, `Not JSON`, `Not a JSON Feed`, `Timed out`, …). */
  message: string;
}

export type TidingsFeedLayout = 'list' | 'cards';
export type TidingsFeedTheme = 'auto' | 'light' | 'dark';

/** The element's attributes, e.g. for JSX intrinsic element declarations. */
export interface TidingsFeedAttributes {
  src: string;
  limit?: number | string;
  layout?: TidingsFeedLayout;
  theme?: TidingsFeedTheme;
  'show-summary'?: boolean | string;
  'show-date'?: boolean | string;
  'show-image'?: boolean | string;
  'relative-dates'?: boolean | string;
  refresh?: boolean | number | string;
  heading?: string;
}
