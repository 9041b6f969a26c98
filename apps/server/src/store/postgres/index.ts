export { PostgresLease } from './lease.js';
export { openPostgresBackend, PostgresBackend, type PostgresBackendOptions } from './postgres-backend.js';
