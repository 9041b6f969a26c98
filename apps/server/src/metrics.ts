import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What /metrics exposes (Prometheus text format). One registry per server, so tests can run several. */
export class Metrics {
  readonly registry = new Registry();
  readonly fetches = new Counter({
    name: 'tidings_fetches_total',
    help: 'Upstream page fetches, by source, kind (listing or article) and outcome',
    labelNames: ['source', 'kind', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly fetchSeconds = new Histogram({
    name: 'tidings_fetch_duration_seconds',
    help: 'Upstream fetch durations',
    labelNames: ['source', 'kind'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly refreshes = new Counter({
    name: 'tidings_refreshes_total',
    help: 'Source refresh runs, by outcome (ok, not_modified, error)',
    labelNames: ['source', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly itemsSkipped = new Counter({
    name: 'tidings_items_skipped_total',
    help: 'Listing items left out because their link, title or date is unusable, by source and reason (bad-link, empty-title, bad-date…)',
    labelNames: ['source', 'reason'] as const,
    registers: [this.registry],
  });
  readonly refreshSeconds = new Histogram({
    name: 'tidings_refresh_duration_seconds',
    help: 'Whole refresh runs',
    labelNames: ['source'] as const,
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });
  readonly articles = new Gauge({
    name: 'tidings_articles',
    help: 'Articles stored per source',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });
  readonly consecutiveFailures = new Gauge({
    name: 'tidings_source_consecutive_failures',
    help: 'Failed refreshes in a row per source (0 when the last one succeeded)',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });
  // Feed requests are the hot path: counted in plain numbers, handed to prom-client at scrape
  // time, because labelled inc() hashes its labels on every call.
  readonly #feedCounts: Record<string, Record<string, number>> = {};
  readonly #feedCounted = new Map<string, number>();
  readonly feedRequestsTotal = new Counter({
    name: 'tidings_feed_requests_total',
    help: 'Feed requests by format and how they were answered (hit, not_modified, rendered)',
    labelNames: ['format', 'result'] as const,
    registers: [this.registry],
    collect: () => {
      for (const [format, results] of Object.entries(this.#feedCounts)) {
        for (const [result, count] of Object.entries(results)) {
          const key = `${format} ${result}`;
          const delta = count - (this.#feedCounted.get(key) ?? 0);
          if (delta === 0) continue;
          this.feedRequestsTotal.inc({ format, result }, delta);
          this.#feedCounted.set(key, count);
        }
      }
    },
  });

  /** Counts one feed request: two property increments, cheap enough for every cache hit. */
  countFeedRequest(format: string, result: string): void {
    let results = this.#feedCounts[format];
    if (!results) {
      results = {};
      this.#feedCounts[format] = results;
    }
    results[result] = (results[result] ?? 0) + 1;
  }
  #heldViews: () => { views: number; bytes: number } = () => ({ views: 0, bytes: 0 });
  /** Where the view gauges read from at scrape time. */
  observeViews(read: () => { views: number; bytes: number }): void {
    this.#heldViews = read;
  }
  readonly viewsHeld: Gauge = new Gauge({
    name: 'tidings_views_held',
    help: 'Feed variants, searches, widget pages and monthly archives held rendered (bounded caches)',
    registers: [this.registry],
    collect: () => {
      this.viewsHeld.set(this.#heldViews().views);
    },
  });
  readonly viewBytesHeld: Gauge = new Gauge({
    name: 'tidings_view_bytes_held',
    help: 'Bytes those views hold, compressed forms included',
    registers: [this.registry],
    collect: () => {
      this.viewBytesHeld.set(this.#heldViews().bytes);
    },
  });
  readonly rateLimited = new Counter({
    name: 'tidings_rate_limited_total',
    help: 'Requests refused with 429 because their client sent too many',
    registers: [this.registry],
  });
  readonly limitsHit = new Counter({
    name: 'tidings_limits_hit_total',
    help: 'Times a refresh stopped at a configured limit, by source and limit',
    labelNames: ['source', 'limit'] as const,
    registers: [this.registry],
  });
  readonly deliveries = new Counter({
    name: 'tidings_deliveries_total',
    help: 'Push attempts (notify:), by destination id and result: delivered, retry (put back for later), failed (given up)',
    labelNames: ['destination', 'result'] as const,
    registers: [this.registry],
  });
  #outbox: () => Promise<{ destination: string; pending: number }[]> = async () => [];
  /** Where the outbox gauge reads from at scrape time (the configured destinations only: bounded labels). */
  observeOutbox(read: () => Promise<{ destination: string; pending: number }[]>): void {
    this.#outbox = read;
  }
  readonly outboxPending: Gauge<'destination'> = new Gauge({
    name: 'tidings_outbox_pending',
    help: 'Pushes waiting in the outbox (or being sent), by destination id',
    labelNames: ['destination'] as const,
    registers: [this.registry],
    collect: async () => {
      try {
        const counts = await this.#outbox();
        this.outboxPending.reset();
        for (const { destination, pending } of counts) this.outboxPending.set({ destination }, pending);
      } catch {
        // The store is unreachable: the last counts stand; /healthz says why.
      }
    },
  });
  readonly renders = new Counter({
    name: 'tidings_feed_renders_total',
    help: "Renders: change (a source's default feeds), query (a feed with limit or q), widget (an iframe page), archive (a month's archive document)",
    labelNames: ['source', 'kind'] as const,
    registers: [this.registry],
  });
}
