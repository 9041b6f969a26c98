import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs on stdout (or `destination`) with pino. `LOG_LEVEL` sets the level; tests pass `silent`. */
export function createLogger(
  level = process.env.LOG_LEVEL ?? 'info',
  destination?: pino.DestinationStream,
): Logger {
  return destination
    ? pino({ level, base: { app: 'tidings' } }, destination)
    : pino({ level, base: { app: 'tidings' } });
}
