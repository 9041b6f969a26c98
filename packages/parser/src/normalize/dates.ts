import { TZDate } from '@date-fns/tz';
import { formatISO } from 'date-fns';
import type { DatePrecision } from '../types.js';

export interface ParsedDate {
  /** ISO 8601 with the zone's offset at that instant, e.g. `2024-12-04T09:00:00+08:00`. */
  iso: string;
  precision: DatePrecision;
}

// 2024-12-04, 2024/12/04, 2024.12.04, 2024年12月4日, each optionally followed by 09:00 or 09:00:05.
const DATE_TIME =
  /(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]*(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}))?)?/;

/** Finds the first calendar date (and time) in `text` and places it in `timeZone`. Null when there is none or it is impossible. */
export function parseDate(text: string, timeZone: string): ParsedDate | null {
  const match = DATE_TIME.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match
    .slice(1)
    .map((part) => (part ? Number(part) : undefined));
  if (year === undefined || month === undefined || day === undefined) return null;
  const precision: DatePrecision = second !== undefined ? 'second' : hour !== undefined ? 'minute' : 'day';
  return toZoned(
    { year, month, day, hour: hour ?? 0, minute: minute ?? 0, second: second ?? 0 },
    timeZone,
    precision,
  );
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const cache = new Map<string, ParsedDate | null>();

function toZoned(wall: WallTime, timeZone: string, precision: DatePrecision): ParsedDate | null {
  const key = `${timeZone}|${wall.year}-${wall.month}-${wall.day} ${wall.hour}:${wall.minute}:${wall.second}|${precision}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const result = computeZoned(wall, timeZone, precision);
  if (cache.size > 10_000) cache.clear();
  cache.set(key, result);
  return result;
}

function computeZoned(wall: WallTime, timeZone: string, precision: DatePrecision): ParsedDate | null {
  const { year, month, day, hour, minute, second } = wall;
  if (year < 1900 || year > 2200 || hour > 23 || minute > 59 || second > 59) return null;
  const date = new TZDate(year, month - 1, day, hour, minute, second, timeZone);
  // Date rolls 2024-02-31 over into March: an impossible date is not a date.
  if (Number.isNaN(date.getTime()) || date.getMonth() !== month - 1 || date.getDate() !== day) return null;
  return { iso: formatISO(date), precision };
}
