import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';

export type { Logger };

/** How log lines are written: one JSON object per line (for machines), or pino-pretty's lines (for people). */
export type LogFormat = 'json' | 'pretty';

/**
 * JSON lines unless a person is reading: `LOG_FORMAT=pretty` forces pino-pretty, `LOG_FORMAT=json`
 * forces JSON, and without either, pretty only when stdout is a terminal.
 *
 * @throws {Error} when `LOG_FORMAT` is set to anything else
 */
export function chooseLogFormat(logFormat: string | undefined, stdoutIsTerminal: boolean): LogFormat {
  if (logFormat === 'json' || logFormat === 'pretty') return logFormat;
  if (logFormat === undefined || logFormat === '') return stdoutIsTerminal ? 'pretty' : 'json';
  throw new Error(`LOG_FORMAT: ${JSON.stringify(logFormat)} is not a log format (use json or pretty)`);
}

/**
 * Logs with pino: on `destination` as JSON when given, else on stdout in the format
 * {@link chooseLogFormat} picks from `LOG_FORMAT` and the terminal. `LOG_LEVEL` sets the level; tests
 * pass `silent`.
 */
export function createLogger(
  level = process.env.LOG_LEVEL ?? 'info',
  destination?: pino.DestinationStream,
): Logger {
  const options = { level, base: { app: 'tidings' } };
  if (destination) return pino(options, destination);
  if (chooseLogFormat(process.env.LOG_FORMAT, process.stdout.isTTY === true) === 'json') return pino(options);
  return pino(options, prettyStream());
}

/**
 * pino-pretty, loaded only when chosen: a server logging JSON never pays for it. Synchronous, so the
 * last lines before an exit are written.
 */
function prettyStream(): PinoPretty.PrettyStream {
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
  return pretty({
    sync: true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,app',
  });
}
