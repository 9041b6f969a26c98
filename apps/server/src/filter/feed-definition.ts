import type { DerivedFeedConfig, NotifyConfig, SourceConfig } from '../config/types.js';
import type { FeedLanguage } from './chinese-script.js';
import { type FeedFilter, NO_FILTER } from './feed-filter.js';

/**
 * One feed the server publishes, at /feeds/<id>.rss|.atom|.json with its page /feeds/<id> and widget
 * /widget/<id>: what it is made from and how. Every source is one (`sourceFeed`: all of its
 * articles, as published); each entry of the config's `feeds:` is another (`derivedFeed`). The
 * router, the feed cache, the pages and the widget look feeds up by this id; a change of a source
 * renders every definition whose `source` it is.
 */
export interface FeedDefinition {
  readonly id: string;
  readonly source: SourceConfig;
  /** What it keeps of the source's articles; NO_FILTER for the source's own feed. */
  readonly filter: FeedFilter;
  /** Converted to this script when rendered; undefined: as published. */
  readonly lang: FeedLanguage | undefined;
  /** Undefined: the source's title (and, for a derived feed, its include words). */
  readonly title: string | undefined;
  readonly description: string | undefined;
  /** False for a source's own feed. */
  readonly derived: boolean;
  /** Where its new articles are pushed (`notify:`; src/delivery/). */
  readonly notify?: readonly NotifyConfig[];
}

/** A source's own feed: every article, its title, its id. */
export function sourceFeed(source: SourceConfig): FeedDefinition {
  return {
    id: source.id,
    source,
    filter: NO_FILTER,
    lang: undefined,
    title: source.title,
    description: undefined,
    derived: false,
    ...(source.notify && { notify: source.notify }),
  };
}

export function derivedFeed(config: DerivedFeedConfig, source: SourceConfig): FeedDefinition {
  return {
    id: config.id,
    source,
    filter: config.filter,
    lang: config.lang,
    title: config.title,
    description: config.description,
    derived: true,
    ...(config.notify && { notify: config.notify }),
  };
}

/** Every feed of `source`: its own, then the derived ones that read it, in the config's order. */
export function feedsOfSource(source: SourceConfig, derived: readonly DerivedFeedConfig[]): FeedDefinition[] {
  return [
    sourceFeed(source),
    ...derived.filter((feed) => feed.source === source.id).map((feed) => derivedFeed(feed, source)),
  ];
}
