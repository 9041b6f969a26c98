import { type DateView, formatDate } from './dates.js';
import type { Feed } from './feed.js';
import { messages } from './messages.js';

/** Everything the attributes and the page decide, read once per render. */
export interface ViewOptions {
  /** The interface language (already a valid tag). */
  lang: string;
  limit: number;
  showSummary: boolean;
  showDate: boolean;
  showImage: boolean;
  relativeDates: boolean;
  heading: string | null;
  /** Now, in ms since the epoch (relative dates). */
  now: number;
}

export interface ItemView {
  id: string;
  title: string;
  /** Null: the title is plain text, not a link. */
  href: string | null;
  date: DateView | null;
  summary: string | null;
  image: string | null;
  /** The item's language when it differs from the interface language. */
  lang: string | null;
}

export type ViewState = 'loading' | 'ready' | 'empty' | 'error';

/** What the shadow root shows: plain data, so the same view is never rendered twice. */
export interface View {
  lang: string;
  state: ViewState;
  heading: string | null;
  /** The list's accessible name when there is no heading: the feed's title. */
  label: string | null;
  /** role=status text: loading or empty. */
  status: string | null;
  error: { text: string; link: string; href: string | null } | null;
  /** Also kept in the error state when a refresh of a loaded feed failed. */
  items: ItemView[];
}

/**
 * The view for the current state: no feed and no failure is loading; `failure.href` is the
 * source page to offer. Pure: the same input always gives the same view.
 */
export function buildView(feed: Feed | null, failure: { href: string | null } | null, o: ViewOptions): View {
  const t = messages(o.lang);
  const items = (feed?.items ?? []).slice(0, o.limit).map((item) => {
    const lang = item.language ?? feed?.language ?? null;
    return {
      id: item.id,
      title: item.title,
      href: item.url,
      date: o.showDate && item.date ? formatDate(item.date, o.lang, o.relativeDates, o.now) : null,
      summary: o.showSummary ? item.summary : null,
      image: o.showImage ? item.image : null,
      lang: lang && lang.toLowerCase() !== o.lang.toLowerCase() ? lang : null,
    };
  });
  const state: ViewState = failure ? 'error' : !feed ? 'loading' : items.length ? 'ready' : 'empty';
  return {
    lang: o.lang,
    state,
    heading: o.heading,
    label: feed?.title ?? null,
    status: state === 'loading' ? t.loading : state === 'empty' ? t.empty : null,
    error: failure ? { text: t.error, link: t.source, href: failure.href } : null,
    items,
  };
}
