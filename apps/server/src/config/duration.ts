import { ConfigError } from '../errors.js';
import { show } from './show.js';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const PART = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*/y;

/**
 * A duration in milliseconds: a number is taken as milliseconds, a string is one or more
 * number-unit pairs (`ms`, `s`, `m`, `h`, `d`), e.g. `30s`, `10m`, `1h`, `2d`, `1h30m`, `1.5h`.
 *
 * @throws {ConfigError} `bad-duration`, naming the value, for anything else (a bare `300`, `5 minutes`, `-1`)
 */
export function parseDuration(input: string | number): number {
  if (typeof input === 'number') {
    if (Number.isFinite(input) && input >= 0) return input;
    throw notADuration(input);
  }
  const text = typeof input === 'string' ? input.trim() : '';
  if (text === '') throw notADuration(input);
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const match = PART.exec(text);
    if (!match) throw notADuration(input);
    total += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  }
  return Math.round(total);
}

function notADuration(input: unknown): ConfigError {
  return new ConfigError('bad-duration', `${show(input)} is not a duration (use 30s, 10m, 1h)`, {
    value: input,
  });
}
