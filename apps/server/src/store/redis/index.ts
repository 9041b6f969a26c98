export { RedisLease } from './lease.js';
export { openRedisBackend, RedisBackend, type RedisBackendOptions } from './redis-backend.js';
