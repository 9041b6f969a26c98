import type { Redis } from 'ioredis';
import type { OutboxKeys, SourceKeys } from './keys.js';

/**
 * The Lua scripts: whatever must read and write Redis atomically. Each runs as one EVALSHA
 * (ioredis `defineCommand` loads it on first use). The clock is Redis's own (`TIME`), so
 * instances with drifting clocks still agree on expiry and freshness.
 */

/** Who is writing: the fence and token of the lease the write claims to hold. */
export interface LeaseClaim {
  fence: number;
  token: string;
}

/** One article as the write script stores it. */
export interface ArticleWrite {
  id: string;
  /** JSON of the StoredArticle. */
  json: string;
  /** publishedAt in epoch ms; -Infinity when it does not parse (sorts last, never too old). */
  score: number;
}

/** One outbox entry as the write script stores it, with the articles (outbox-scripts.ts reads it). */
export interface OutboxWrite {
  key: string;
  /** JSON of the OutboxEntry. */
  entry: string;
  /** JSON of its first state (`pending`, no attempts). */
  state: string;
  /** When it is due, epoch ms. */
  dueMs: number;
}

export type LeaseDecision =
  | { granted: true; fence: number }
  | { granted: false; refused: 'held' | 'fresh'; retryInMs: number };

export interface Scripts {
  /**
   * HSET + ZADD every write, and the outbox entries; nothing at all when `claim` is given and no
   * longer holds the lease.
   */
  writeArticles(
    keys: SourceKeys,
    claim: LeaseClaim | undefined,
    writes: readonly ArticleWrite[],
    outbox?: { keys: OutboxKeys; entries: readonly OutboxWrite[] },
  ): Promise<'written' | 'fenced-out'>;
  /** HDEL + ZREM these ids; how many were stored, or nothing when `claim` lost the lease. */
  dropArticles(
    keys: SourceKeys,
    claim: LeaseClaim | undefined,
    ids: readonly string[],
  ): Promise<number | 'fenced-out'>;
  /**
   * The JSON of the newest `limit` articles by score, plus every other article sharing the
   * lowest score among them (the caller breaks those ties). Absent entries come back as null.
   */
  newestArticles(keys: SourceKeys, limit: number): Promise<(string | null)[]>;
  acquireLease(keys: SourceKeys, token: string, ttlMs: number, freshForMs: number): Promise<LeaseDecision>;
  /** PEXPIRE the lock if it still holds `token`; false when it is gone or someone else's. */
  renewLease(keys: SourceKeys, token: string, ttlMs: number): Promise<boolean>;
  /** Records a refresh completed `ageMs` ago, if `claim` still holds the lease. */
  completeLease(keys: SourceKeys, claim: LeaseClaim, ageMs: number): Promise<boolean>;
  /** Deletes the lock if it still holds `token`. */
  releaseLease(keys: SourceKeys, token: string): Promise<boolean>;
}

/** KEYS[3] = fence, KEYS[4] = lock; ARGV[1] = fence ('' for an unfenced write), ARGV[2] = token. */
const HOLDS_LEASE = `
local function holds_lease()
  if ARGV[1] == '' then return true end
  return redis.call('GET', KEYS[3]) == ARGV[1] and redis.call('GET', KEYS[4]) == ARGV[2]
end
`;

const FENCED_OUT = -1;

/**
 * KEYS: articles, order, fence, lock, then the outbox's entries, states, due. ARGV: fence, token,
 * the number of articles, then id, json, score per article, then key, entry, state, due per
 * outbox entry.
 */
const WRITE_ARTICLES = `${HOLDS_LEASE}
if not holds_lease() then return ${FENCED_OUT} end
local after = 3 + tonumber(ARGV[3]) * 3
for i = 4, after, 3 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  redis.call('ZADD', KEYS[2], ARGV[i + 2], ARGV[i])
end
for i = after + 1, #ARGV, 4 do
  redis.call('HSET', KEYS[5], ARGV[i], ARGV[i + 1])
  redis.call('HSET', KEYS[6], ARGV[i], ARGV[i + 2])
  redis.call('ZADD', KEYS[7], ARGV[i + 3], ARGV[i])
end
return 0
`;

/** KEYS: articles, order, fence, lock. ARGV: fence, token, then the ids. */
const DROP_ARTICLES = `${HOLDS_LEASE}
if not holds_lease() then return ${FENCED_OUT} end
local dropped = 0
for i = 3, #ARGV do
  dropped = dropped + redis.call('HDEL', KEYS[1], ARGV[i])
  redis.call('ZREM', KEYS[2], ARGV[i])
end
return dropped
`;

/** KEYS: order, articles. ARGV: limit (> 0). HMGET in chunks: unpack() has a stack limit. */
const NEWEST_ARTICLES = `
local limit = tonumber(ARGV[1])
local top = redis.call('ZREVRANGE', KEYS[1], 0, limit - 1, 'WITHSCORES')
local ids, seen = {}, {}
for i = 1, #top, 2 do
  ids[#ids + 1] = top[i]
  seen[top[i]] = true
end
if #ids == limit then
  local boundary = top[#top]
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], boundary, boundary)) do
    if not seen[id] then ids[#ids + 1] = id end
  end
end
local found = {}
for first = 1, #ids, 500 do
  local values = redis.call('HMGET', KEYS[2], unpack(ids, first, math.min(first + 499, #ids)))
  for _, value in ipairs(values) do found[#found + 1] = value end
end
return found
`;

const NOW_MS = `
local function now_ms()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
`;

/** KEYS: lock, fence, completed. ARGV: token, ttlMs, freshForMs. */
const ACQUIRE_LEASE = `${NOW_MS}
local completed = tonumber(redis.call('GET', KEYS[3]) or '')
if completed then
  local since = now_ms() - completed
  if since < tonumber(ARGV[3]) then return {'fresh', tonumber(ARGV[3]) - since} end
end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {'granted', redis.call('INCR', KEYS[2])}
end
return {'held', redis.call('PTTL', KEYS[1])}
`;

/** KEYS: lock. ARGV: token, ttlMs. */
const RENEW_LEASE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])
`;

/** KEYS: lock, fence, completed. ARGV: fence, token, ageMs. */
const COMPLETE_LEASE = `${NOW_MS}
if redis.call('GET', KEYS[2]) ~= ARGV[1] or redis.call('GET', KEYS[1]) ~= ARGV[2] then return 0 end
redis.call('SET', KEYS[3], string.format('%.0f', now_ms() - tonumber(ARGV[3])))
return 1
`;

/** KEYS: lock. ARGV: token. */
const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
`;

const DEFINITIONS = {
  tidingsWriteArticles: { numberOfKeys: 7, lua: WRITE_ARTICLES },
  tidingsDropArticles: { numberOfKeys: 4, lua: DROP_ARTICLES },
  tidingsNewestArticles: { numberOfKeys: 2, lua: NEWEST_ARTICLES },
  tidingsAcquireLease: { numberOfKeys: 3, lua: ACQUIRE_LEASE },
  tidingsRenewLease: { numberOfKeys: 1, lua: RENEW_LEASE },
  tidingsCompleteLease: { numberOfKeys: 3, lua: COMPLETE_LEASE },
  tidingsReleaseLease: { numberOfKeys: 1, lua: RELEASE_LEASE },
} as const;

type ScriptName = keyof typeof DEFINITIONS;
type ScriptCall = (...keysThenArgs: (string | number)[]) => Promise<unknown>;

/** Defines the scripts on `redis` and returns them typed. */
export function defineScripts(redis: Redis): Scripts {
  for (const [name, definition] of Object.entries(DEFINITIONS)) redis.defineCommand(name, definition);
  // defineCommand adds methods ioredis's types cannot know about.
  const call = (name: ScriptName, ...keysThenArgs: (string | number)[]): Promise<unknown> =>
    (redis as unknown as Record<ScriptName, ScriptCall>)[name](...keysThenArgs);
  const fenceKeys = (keys: SourceKeys) => [keys.articles, keys.order, keys.fence, keys.lock];
  const claimArgs = (claim: LeaseClaim | undefined) =>
    claim ? [String(claim.fence), claim.token] : ['', ''];

  return {
    async writeArticles(keys, claim, writes, outbox) {
      const args = writes.flatMap((write) => [write.id, write.json, scoreArg(write.score)]);
      // Without entries the outbox keys are named but never touched.
      const outboxKeys = outbox ? [outbox.keys.entries, outbox.keys.states, outbox.keys.due] : ['', '', ''];
      const entries = (outbox?.entries ?? []).flatMap((entry) => [
        entry.key,
        entry.entry,
        entry.state,
        entry.dueMs,
      ]);
      const reply = await call(
        'tidingsWriteArticles',
        ...fenceKeys(keys),
        ...outboxKeys,
        ...claimArgs(claim),
        writes.length,
        ...args,
        ...entries,
      );
      return reply === FENCED_OUT ? 'fenced-out' : 'written';
    },
    async dropArticles(keys, claim, ids) {
      const reply = await call('tidingsDropArticles', ...fenceKeys(keys), ...claimArgs(claim), ...ids);
      return reply === FENCED_OUT ? 'fenced-out' : (reply as number);
    },
    async newestArticles(keys, limit) {
      return (await call('tidingsNewestArticles', keys.order, keys.articles, limit)) as (string | null)[];
    },
    async acquireLease(keys, token, ttlMs, freshForMs) {
      const [verdict, value] = (await call(
        'tidingsAcquireLease',
        keys.lock,
        keys.fence,
        keys.completed,
        token,
        ttlMs,
        freshForMs,
      )) as ['granted' | 'held' | 'fresh', number];
      return verdict === 'granted'
        ? { granted: true, fence: value }
        : { granted: false, refused: verdict, retryInMs: value };
    },
    async renewLease(keys, token, ttlMs) {
      return (await call('tidingsRenewLease', keys.lock, token, ttlMs)) === 1;
    },
    async completeLease(keys, claim, ageMs) {
      const reply = await call(
        'tidingsCompleteLease',
        keys.lock,
        keys.fence,
        keys.completed,
        String(claim.fence),
        claim.token,
        ageMs,
      );
      return reply === 1;
    },
    async releaseLease(keys, token) {
      return (await call('tidingsReleaseLease', keys.lock, token)) === 1;
    },
  };
}

function scoreArg(score: number): string {
  return score === Number.NEGATIVE_INFINITY ? '-inf' : String(score);
}
