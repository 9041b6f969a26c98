import type { NotifyConfig, SourceConfig } from '../config/types.js';
import type { FeedDefinition } from '../filter/feed-definition.js';
import { filterClock, matchesFilter } from '../filter/feed-filter.js';
import type { OutboxTarget } from '../store/outbox.js';

/** A destination and the feed whose new articles it gets. */
export interface Destination {
  notify: NotifyConfig;
  feed: FeedDefinition;
}

/** Every configured destination, by id, of these feeds (a source's own and derived ones). */
export function destinationsOf(feeds: Iterable<FeedDefinition>): Map<string, Destination> {
  const found = new Map<string, Destination>();
  for (const feed of feeds) for (const notify of feed.notify ?? []) found.set(notify.id, { notify, feed });
  return found;
}

/**
 * What a refresh of `source` queues, and for whom: every destination of its feeds, a derived
 * feed's keeping only the articles its filter keeps (as its feed would show them now).
 */
export function outboxTargets(source: SourceConfig, feeds: Iterable<FeedDefinition>): OutboxTarget[] {
  const targets: OutboxTarget[] = [];
  const now = filterClock();
  for (const feed of feeds) {
    if (feed.source.id !== source.id) continue;
    const { filter } = feed;
    const keep = feed.derived
      ? (article: Parameters<typeof matchesFilter>[0]) => matchesFilter(article, filter, now)
      : undefined;
    for (const notify of feed.notify ?? []) {
      targets.push({
        destination: notify.id,
        feedId: feed.id,
        edited: notify.edited,
        ...(keep && { keep }),
      });
    }
  }
  return targets;
}

/**
 * The destination as /healthz may show it: the webhook's origin (its path may hold a token), the
 * mail domains. Never a secret, a password or a whole address.
 */
export function describeTarget(notify: NotifyConfig): string {
  if (notify.kind === 'webhook') {
    const url = new URL(notify.url);
    return `${url.protocol}//${url.host}${url.pathname === '/' && url.search === '' ? '/' : '/…'}`;
  }
  const domains = [...new Set(notify.to.map((address) => address.slice(address.lastIndexOf('@') + 1)))];
  return `mail to ${domains.map((domain) => `…@${domain}`).join(', ')} (${notify.mode})`;
}

/** `text` without the destination's secrets: its HMAC secret, SMTP password, or webhook URL (its path may be a token). */
export function redactDestination(notify: NotifyConfig, text: string): string {
  const secrets =
    notify.kind === 'webhook'
      ? [notify.secret, notify.url, new URL(notify.url).pathname]
      : [new URL(notify.smtp).password, decodeURIComponent(new URL(notify.smtp).password), notify.smtp];
  return secrets
    .filter((secret) => secret.length >= 4 && secret !== '/')
    .sort((a, b) => b.length - a.length)
    .reduce((redacted, secret) => redacted.split(secret).join('***'), text);
}
