export { defineTidingsFeed, TidingsFeedElement } from './element.js';
export type {
  TidingsErrorDetail,
  TidingsFeedAttributes,
  TidingsFeedLayout,
  TidingsFeedTheme,
  TidingsLoadDetail,
} from './types.js';
