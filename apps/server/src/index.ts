export { loadConfig } from './config/load.js';
export type { ServerConfig, SourceConfig } from './config/types.js';
export { createLogger, type Logger } from './logger.js';
export type { RefreshOutcome } from './refresh/refresh-source.js';
export { type StartOptions, startServer, type TidingsServer } from './server.js';
export type { SourceStatus, Store, StoredArticle } from './store/types.js';
