// How much Redis holds per stored article: the offline demo (37 articles with full text) refreshed
// into a real redis-server, then `MEMORY USAGE` of its keys.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, loadConfig, startServer } from '@tidings/server';
import { Redis } from 'ioredis';
import { startRedis } from '../test/support/redis.js';

export interface RedisMemory {
  articles: number;
  bytes: number;
  bytesPerArticle: number;
}

export async function redisMemory(): Promise<RedisMemory> {
  const redis = await startRedis();
  const client = new Redis(redis.url);
  try {
    const config = loadConfig({
      env: { TIDINGS_DATA_DIR: mkdtempSync(join(tmpdir(), 'tidings-memory-')), TIDINGS_REDIS_URL: redis.url },
    });
    const server = await startServer(
      { ...config, port: 0 },
      { logger: createLogger('silent'), schedule: false, host: '127.0.0.1' },
    );
    await server.refresh('demo');
    await server.close();
    let bytes = 0;
    for (const key of await client.keys('tidings:demo:*')) bytes += Number(await client.memory('USAGE', key));
    const articles = await client.zcard('tidings:demo:order');
    return { articles, bytes, bytesPerArticle: Math.round(bytes / articles) };
  } finally {
    client.disconnect();
    await redis.stop();
  }
}
