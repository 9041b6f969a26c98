import type { Redis } from 'ioredis';
import type { OutboxKeys } from './keys.js';

/**
 * The outbox's Lua scripts (keys.ts has the layout): claim, complete and fail each run as one
 * script, so two instances never claim one entry and a state never half changes. Entries are
 * written by the articles' own write script (scripts.ts). Claims expire on Redis's clock.
 */

/** What `claim` returns per entry. */
export interface ClaimReply {
  /** JSON of the OutboxEntry. */
  entry: string;
  attempts: number;
  token: string;
}

export interface OutboxScripts {
  claim(keys: OutboxKeys, limit: number, leaseMs: number, tokenPrefix: string): Promise<ClaimReply[]>;
  /** True when the entry was there (and is now gone). */
  complete(keys: OutboxKeys, key: string, at: string): Promise<boolean>;
  /** True when the claim was still the entry's newest, so the failure was recorded. */
  fail(
    keys: OutboxKeys,
    claim: { key: string; token: string },
    failure: { error: string; at: string; retryAtMs: number | undefined },
    failedKept: number,
  ): Promise<boolean>;
}

const NOW_MS = `
local function now_ms()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
`;

/** KEYS: due, claims, states, entries. ARGV: limit, leaseMs, token prefix. Expired claims first. */
const CLAIM = `${NOW_MS}
local now = now_ms()
local limit = tonumber(ARGV[1])
local keys = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, limit)
if #keys < limit then
  for _, key in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, limit - #keys)) do
    keys[#keys + 1] = key
  end
end
local out = {}
for n, key in ipairs(keys) do
  local raw = redis.call('HGET', KEYS[3], key)
  local entry = redis.call('HGET', KEYS[4], key)
  redis.call('ZREM', KEYS[1], key)
  if raw and entry then
    local state = cjson.decode(raw)
    state.state = 'sending'
    state.attempts = state.attempts + 1
    state.token = ARGV[3] .. ':' .. n
    redis.call('HSET', KEYS[3], key, cjson.encode(state))
    redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), key)
    out[#out + 1] = entry
    out[#out + 1] = state.attempts
    out[#out + 1] = state.token
  else
    redis.call('ZREM', KEYS[2], key)
  end
end
return out
`;

/** KEYS: states, entries, due, claims, failed, status. ARGV: key, at. */
const COMPLETE = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local state = cjson.decode(raw)
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
for i = 3, 5 do redis.call('ZREM', KEYS[i], ARGV[1]) end
local record = cjson.decode(redis.call('HGET', KEYS[6], state.destination) or '{}')
record.delivered = (record.delivered or 0) + 1
record.lastSuccessAt = ARGV[2]
record.consecutiveFailures = 0
redis.call('HSET', KEYS[6], state.destination, cjson.encode(record))
return 1
`;

/**
 * KEYS: states, entries, due, claims, failed, status. ARGV: key, token, error, at, at (epoch ms),
 * retry at (epoch ms, '' to give up), failed entries kept.
 */
const FAIL = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local state = cjson.decode(raw)
if state.state ~= 'sending' or state.token ~= ARGV[2] then return 0 end
state.token = nil
state.lastError = ARGV[3]
state.lastAttemptAt = ARGV[4]
redis.call('ZREM', KEYS[4], ARGV[1])
if ARGV[6] ~= '' then
  state.state = 'pending'
  redis.call('ZADD', KEYS[3], ARGV[6], ARGV[1])
else
  state.state = 'failed'
  redis.call('ZADD', KEYS[5], ARGV[5], ARGV[1])
end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(state))
local record = cjson.decode(redis.call('HGET', KEYS[6], state.destination) or '{}')
record.consecutiveFailures = (record.consecutiveFailures or 0) + 1
record.lastError = ARGV[3]
record.lastErrorAt = ARGV[4]
redis.call('HSET', KEYS[6], state.destination, cjson.encode(record))
local extra = redis.call('ZCARD', KEYS[5]) - tonumber(ARGV[7])
if extra > 0 then
  for _, old in ipairs(redis.call('ZRANGE', KEYS[5], 0, extra - 1)) do
    redis.call('HDEL', KEYS[1], old)
    redis.call('HDEL', KEYS[2], old)
  end
  redis.call('ZREMRANGEBYRANK', KEYS[5], 0, extra - 1)
end
return 1
`;

const DEFINITIONS = {
  tidingsClaimDeliveries: { numberOfKeys: 4, lua: CLAIM },
  tidingsCompleteDelivery: { numberOfKeys: 6, lua: COMPLETE },
  tidingsFailDelivery: { numberOfKeys: 6, lua: FAIL },
} as const;

type ScriptName = keyof typeof DEFINITIONS;
type ScriptCall = (...keysThenArgs: (string | number)[]) => Promise<unknown>;

export function defineOutboxScripts(redis: Redis): OutboxScripts {
  for (const [name, definition] of Object.entries(DEFINITIONS)) redis.defineCommand(name, definition);
  const call = (name: ScriptName, ...keysThenArgs: (string | number)[]): Promise<unknown> =>
    (redis as unknown as Record<ScriptName, ScriptCall>)[name](...keysThenArgs);
  const stateKeys = (keys: OutboxKeys) => [
    keys.states,
    keys.entries,
    keys.due,
    keys.claims,
    keys.failed,
    keys.status,
  ];

  return {
    async claim(keys, limit, leaseMs, tokenPrefix) {
      const reply = (await call(
        'tidingsClaimDeliveries',
        keys.due,
        keys.claims,
        keys.states,
        keys.entries,
        limit,
        leaseMs,
        tokenPrefix,
      )) as (string | number)[];
      const claimed: ClaimReply[] = [];
      for (let i = 0; i < reply.length; i += 3) {
        claimed.push({
          entry: String(reply[i]),
          attempts: Number(reply[i + 1]),
          token: String(reply[i + 2]),
        });
      }
      return claimed;
    },
    async complete(keys, key, at) {
      return (await call('tidingsCompleteDelivery', ...stateKeys(keys), key, at)) === 1;
    },
    async fail(keys, claim, failure, failedKept) {
      const reply = await call(
        'tidingsFailDelivery',
        ...stateKeys(keys),
        claim.key,
        claim.token,
        failure.error,
        failure.at,
        Date.parse(failure.at),
        failure.retryAtMs === undefined ? '' : failure.retryAtMs,
        failedKept,
      );
      return reply === 1;
    },
  };
}
