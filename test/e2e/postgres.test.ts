import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBuiltServer } from '../support/built-server.js';
import { DEMO_LOAD_CONFIG } from '../support/demo.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import { waitFor } from '../support/server.js';

/**
 * The built server on a real PostgreSQL as its store of record, and no Redis: what the demo
 * stored is all there after a restart with an empty data directory, without refreshing.
 */
describe('the demo with its history in PostgreSQL', () => {
  let postgres: TestPostgres;
  let url: string;
  const config = (enabled: boolean) =>
    `publicUrl: https://feeds.example.test\n${DEMO_LOAD_CONFIG}`.replace(
      '  - id: demo\n',
      `  - id: demo\n    enabled: ${enabled}\n`,
    );
  const feed = async (base: string) => {
    const answer = await fetch(`${base}/feeds/demo.json?limit=100`);
    const body = (await answer.json()) as { items: { id: string; title: string }[] };
    return { etag: answer.headers.get('etag'), items: body.items };
  };

  beforeAll(async () => {
    postgres = await startPostgres();
    url = await postgres.createDatabase();
  });
  afterAll(() => postgres?.stop());

  it('keeps the 37 articles across a restart with an empty data directory and refreshing off', async () => {
    const first = await startBuiltServer(config(true), { TIDINGS_DATABASE_URL: url });
    let stored: Awaited<ReturnType<typeof feed>>;
    try {
      expect(await first.refreshed('demo')).toMatchObject({ articles: 37, lastError: null });
      expect(first.logs()).toContain('keeping history in PostgreSQL');
      expect(first.logs()).toContain('PostgreSQL schema migrated');
      stored = await feed(first.base);
      expect(stored.items).toHaveLength(37);
    } finally {
      expect(await first.stop()).toBe(0);
    }
    expect(
      await postgres.query('SELECT count(*)::int AS count FROM articles WHERE source_id = $1', ['demo'], url),
    ).toEqual([{ count: 37 }]);

    // A new process, a new (empty) data directory, the source switched off: only the database remembers.
    const second = await startBuiltServer(config(false), { TIDINGS_DATABASE_URL: url });
    try {
      const health = await waitFor(() => second.health('demo'), 20_000);
      expect(health).toMatchObject({ articles: 37, lastError: null });
      const again = await feed(second.base);
      expect(again.items).toEqual(stored.items);
      expect(again.etag).toBe(stored.etag);
      expect(second.logs()).not.toContain('"msg":"refreshed"');
      expect(second.logs()).not.toContain('schema migrated');
    } finally {
      expect(await second.stop()).toBe(0);
    }
  }, 120_000);
});
