import { Redis } from 'ioredis';
import { startPostgres } from './postgres.js';
import { startRedis } from './redis.js';

/**
 * A store several server processes share, started for real, and what a test reads of it
 * directly: who holds a source's refresh lease, and its fence.
 */
export interface SharedStore {
  name: 'redis' | 'postgres';
  /** What a server process needs in its environment to use it. */
  env: Record<string, string>;
  /** The lease holder's token (`<host>:<pid>:<random>`) while one holds the source. */
  holder(sourceId: string): Promise<string | undefined>;
  /** The fence of the newest lease granted for the source (0 before any). */
  fence(sourceId: string): Promise<number>;
  /** Kills the store at once, as a crash would. */
  kill(): void;
  stop(): Promise<void>;
}

export async function startRedisStore(): Promise<SharedStore> {
  const redis = await startRedis();
  const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  // Tests kill the store on purpose: the client's reconnection errors are expected.
  client.on('error', () => {});
  return {
    name: 'redis',
    env: { TIDINGS_REDIS_URL: redis.url },
    holder: async (sourceId) => (await client.get(`tidings:${sourceId}:lock`)) ?? undefined,
    fence: async (sourceId) => Number((await client.get(`tidings:${sourceId}:fence`)) ?? 0),
    kill: () => redis.kill(),
    stop: async () => {
      client.disconnect();
      await redis.stop();
    },
  };
}

/** PostgreSQL, with a database of its own; the servers need no Redis. */
export async function startPostgresStore(): Promise<SharedStore> {
  const postgres = await startPostgres();
  const url = await postgres.createDatabase();
  const lease = async (sourceId: string) =>
    (
      await postgres
        .query<{ fence: string; holder: string | null }>(
          `SELECT fence, CASE WHEN expires_at > clock_timestamp() THEN holder END AS holder
         FROM leases WHERE source_id = $1`,
          [sourceId],
          url,
        )
        .catch(() => [])
    )[0];
  return {
    name: 'postgres',
    env: { TIDINGS_DATABASE_URL: url },
    holder: async (sourceId) => (await lease(sourceId))?.holder ?? undefined,
    fence: async (sourceId) => Number((await lease(sourceId))?.fence ?? 0),
    kill: () => postgres.kill(),
    stop: () => postgres.stop(),
  };
}
