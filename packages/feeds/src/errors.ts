import { TidingsError } from '@tidings/parser';

/** The channel or an article cannot be rendered as given (a relative self URL, an unreadable date). */
export class FeedError extends TidingsError {}
