import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs on stdout (pino). `LOG_LEVEL` sets the level; tests pass `silent`. */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { app: 'tidings' } });
}
