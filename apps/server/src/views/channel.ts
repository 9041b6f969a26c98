import type { FeedChannel, FeedFormat } from '@tidings/feeds';
import { type Article, profiles } from '@tidings/parser';
import type { SourceConfig } from '../config/types.js';
import type { FeedDefinition } from '../filter/feed-definition.js';

export const FEED_EXTENSIONS: Record<FeedFormat, string> = { rss: 'rss', atom: 'atom', json: 'json' };

export function feedPath(sourceId: string, format: FeedFormat): string {
  return `/feeds/${sourceId}.${FEED_EXTENSIONS[format]}`;
}

/** The feed's page for people (no extension). */
export function feedPagePath(sourceId: string): string {
  return `/feeds/${sourceId}`;
}

/** The publisher: the profile's name for the site, else the host. */
export function publisherOf(source: SourceConfig): string {
  const url = new URL(source.url);
  const named = typeof source.profile === 'object' ? source.profile : undefined;
  const registered = typeof source.profile === 'string' ? profiles.get(source.profile) : profiles.forUrl(url);
  return named?.name || registered?.name || url.hostname;
}

/**
 * A source's feed title, from data that only changes with the articles (so a restart renders
 * the same bytes): the configured title, else `section – publisher` from the newest article.
 */
export function feedTitle(source: SourceConfig, newest: Article | undefined): string {
  if (source.title) return source.title;
  const publisher = publisherOf(source);
  return newest?.section ? `${newest.section} – ${publisher}` : publisher;
}

/** A feed's title: its own, else its source's; a derived feed's adds its include words (or its id). */
export function titleOfFeed(feed: FeedDefinition, newest: Article | undefined): string {
  if (feed.title) return feed.title;
  const base = feedTitle(feed.source, newest);
  return feed.derived ? `${base} · ${feed.filter.include.join('、') || feed.id}` : base;
}

export function channelFor(
  source: SourceConfig,
  articles: readonly Article[],
  format: FeedFormat,
  publicBase: string,
  hub: string | undefined,
): FeedChannel {
  const title = feedTitle(source, articles[0]);
  return {
    title,
    description: `${title}: the newest articles of ${source.url}, republished by Tidings`,
    selfUrl: `${publicBase}${feedPath(source.id, format)}`,
    homeUrl: source.url,
    author: { name: publisherOf(source) },
    refreshMinutes: Math.max(1, Math.round(source.refreshMs / 60_000)),
    ...(hub ? { hub } : {}),
    ...(format === 'json' ? {} : { stylesheet: `${publicBase}/feed.xsl` }),
  };
}

/**
 * How long a feed of `source` may be reused: half a refresh interval, revalidated in the background
 * for a whole one, and kept for a day if we are down. Archives still open use it too.
 */
export function feedCacheControl(source: SourceConfig): string {
  const refreshSeconds = Math.round(source.refreshMs / 1000);
  return `public, max-age=${Math.max(60, Math.floor(refreshSeconds / 2))}, stale-while-revalidate=${refreshSeconds}, stale-if-error=86400`;
}
