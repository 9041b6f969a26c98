import { TZDate } from '@date-fns/tz';
import { formatISO, isValid, parse } from 'date-fns';
import { DateError } from '../errors.js';
import type { DatePrecision } from '../types.js';

export interface ParsedDate {
  /** ISO 8601 with the zone's offset at that instant, e.g. `2024-12-04T09:00:00+08:00`. */
  iso: string;
  precision: DatePrecision;
}

export interface DateOptions {
  /** IANA zone the text is written in. */
  timeZone: string;
  /** "Now" for relative forms (`3小时前`) and for the year of a month-day (`12-04`). Default: `new Date()`. */
  reference?: Date;
  /** A date-fns format string (e.g. `dd/MM/yyyy HH:mm`) used instead of the built-in forms. */
  format?: string;
}

type Context = { text: string; timeZone: string; reference: Date };
type CalendarDay = { year: number; month: number; day: number };
type WallTime = CalendarDay & { hour: number; minute: number; second: number };

/** What a form found: a wall time (in the zone, or at a given UTC offset) or an exact instant. */
type Reading =
  | { wall: WallTime; precision: DatePrecision; offsetMinutes?: number; yearInferred?: boolean }
  | { instant: number; precision: DatePrecision };

/** `absolute`: the result depends on the text and the zone only, never on the reference. */
type Form = { pattern: RegExp; read: (match: RegExpExecArray, context: Context) => Reading; absolute?: true };

// ` 09:00`, `T09:00:05`, `09时00分`: groups hour, minute, second.
const TIME = String.raw`(?:[\sT]*(\d{1,2})\s*[:：时]\s*(\d{1,2})(?!\d)(?:\s*[:：分]\s*(\d{1,2})(?!\d))?)?`;
const ISO_INSTANT =
  /(?<!\d)(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(?:Z|([+-])(\d{2}):?(\d{2})?)(?![\d:])/;
const FULL_DATE = new RegExp(
  String.raw`(?<!\d)(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*[日号]?${TIME}`,
);
// Two digits each, in range, and not inside a longer number, time range (`09:00-11:00`), issue number
// (`第10-12期`), percentage or amount: `12-04` is a date, `1-2`, `022-2345` and `12.04%` are not.
const MONTH_DAY = new RegExp(
  String.raw`(?<![\w./\-]|\d[:：]|第\s*)(0[1-9]|1[0-2])[-/.](0[1-9]|[12]\d|3[01])(?![\d./\-:：%‰])(?!\s*[期页章节条集届次版卷部元万亿])${TIME}`,
);
const MONTH_DAY_CN = new RegExp(String.raw`(?<!\d\s*|年\s*)(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]${TIME}`);
const DAY_WORD_TIME = /(今天|昨天|前天)\s*(\d{1,2})\s*[:：时]\s*(\d{1,2})(?!\d)/;
// Bare words only when they stand alone: a title saying 昨天的会议 carries no date.
const BARE_WORD = /(?<!\p{Script=Han})(刚刚|今天|昨天|前天)(?!\p{Script=Han})/u;
const AGO = /(?<!\d)(\d{1,5})\s*(秒钟?|分钟?|个?小时|天)前/;

// Earlier entries win when two forms start at the same place (an ISO instant is also a full date).
const FORMS: Form[] = [
  { pattern: ISO_INSTANT, read: readInstant, absolute: true },
  { pattern: FULL_DATE, read: readFullDate, absolute: true },
  { pattern: DAY_WORD_TIME, read: readDayWord },
  { pattern: BARE_WORD, read: readDayWord },
  { pattern: AGO, read: readAgo },
  { pattern: MONTH_DAY, read: readMonthDay },
  { pattern: MONTH_DAY_CN, read: readMonthDay },
];

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MONTH_NAMES =
  'January February March April May June July August September October November December'.split(' ');
const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** Reads the first date in text. Throws DateError: code 'no-date', 'invalid-date' or 'bad-format'. */
export function readDate(text: string, options: DateOptions): ParsedDate {
  const parsed = readFirstDate(text, options);
  if (!parsed) throw new DateError('no-date', `No date in "${shorten(text)}"`, text);
  return parsed;
}

/** Old signature kept for compatibility: null instead of throwing. */
export function parseDate(
  text: string,
  timeZone: string,
  options: { reference?: Date; format?: string } = {},
): ParsedDate | null {
  try {
    return readFirstDate(text, { timeZone, reference: options.reference, format: options.format }) ?? null;
  } catch (error) {
    if (error instanceof DateError) return null;
    throw error;
  }
}

/** readDate without the error for text holding no date: detection asks this of many texts that hold none. */
function readFirstDate(text: string, options: DateOptions): ParsedDate | undefined {
  const key = `${options.timeZone}|${text}`;
  const known = options.format === undefined ? absoluteCache.get(key) : undefined;
  if (known) return { iso: known.iso, precision: known.precision };
  const context = { text, timeZone: options.timeZone, reference: options.reference ?? new Date() };
  if (options.format !== undefined) return readWithFormat(options.format, context);
  const found = firstMatch(text);
  if (!found) return undefined;
  const parsed = resolve(found.form.read(found.match, context), found.match[0].trim(), context);
  if (found.form.absolute) remember(absoluteCache, key, { ...parsed });
  return parsed;
}

/** Cheap check without a zone: does text contain any form readDate reads (absolute, month-day, relative)? */
export function containsDate(text: string): boolean {
  return FORMS.some((form) => form.pattern.test(text));
}

function firstMatch(text: string): { form: Form; match: RegExpExecArray } | undefined {
  let best: { form: Form; match: RegExpExecArray } | undefined;
  for (const form of FORMS) {
    const match = form.pattern.exec(text);
    if (match && (!best || match.index < best.match.index)) best = { form, match };
    if (best?.match.index === 0) break;
  }
  return best;
}

function readInstant(match: RegExpExecArray): Reading {
  const offset = Number(match[8] ?? 0) * 60 + Number(match[9] ?? 0);
  const offsetMinutes = match[7] === '-' ? -offset : offset;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  return { wall: withClock(date, match, 4), precision: match[6] ? 'second' : 'minute', offsetMinutes };
}

function readFullDate(match: RegExpExecArray): Reading {
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  return { wall: withClock(date, match, 4), precision: precisionOf(match, 4) };
}

/**
 * A month-day without a year gets the reference's year in the zone, or the year before when that
 * calendar day is still ahead: listings never show the future. Calendar days are compared, not
 * instants, so `12-04 10:05` read at 10:00 on 12-04 (a source clock running fast) stays this year.
 */
function readMonthDay(match: RegExpExecArray, context: Context): Reading {
  const month = Number(match[1]);
  const day = Number(match[2]);
  const today = referenceDay(context);
  const ahead = month > today.month || (month === today.month && day > today.day);
  const wall = withClock({ year: today.year - (ahead ? 1 : 0), month, day }, match, 3);
  return { wall, precision: precisionOf(match, 3), yearInferred: true };
}

function readDayWord(match: RegExpExecArray, context: Context): Reading {
  const word = match[1];
  if (word === '刚刚') return { instant: truncate(context.reference.getTime(), MINUTE), precision: 'minute' };
  const date = daysBefore(referenceDay(context), word === '前天' ? 2 : word === '昨天' ? 1 : 0);
  return { wall: withClock(date, match, 2), precision: precisionOf(match, 2) };
}

function readAgo(match: RegExpExecArray, context: Context): Reading {
  const count = Number(match[1]);
  const unit = match[2] ?? '';
  if (unit === '天') {
    return {
      wall: { ...daysBefore(referenceDay(context), count), hour: 0, minute: 0, second: 0 },
      precision: 'day',
    };
  }
  const inSeconds = unit.startsWith('秒');
  const step = inSeconds ? SECOND : unit.startsWith('分') ? MINUTE : 60 * MINUTE;
  const instant = truncate(context.reference.getTime() - count * step, inSeconds ? SECOND : MINUTE);
  return { instant, precision: inSeconds ? 'second' : 'minute' };
}

function readWithFormat(format: string, context: Context): ParsedDate {
  const value = context.text.trim();
  const date = parse(value, format, new TZDate(context.reference, context.timeZone));
  if (!isValid(date)) {
    const message = `"${shorten(value)}" does not match the date format "${format}" (or is not a real date).`;
    throw new DateError('bad-format', message, context.text);
  }
  const why = dateProblem({ year: date.getFullYear(), month: date.getMonth() + 1, day: date.getDate() });
  if (why) throw invalid(`"${shorten(value)}" is not a calendar date: ${why}.`, context);
  return { iso: isoOf(date, context), precision: formatPrecision(format) };
}

/** The calendar day at the time of day in three groups from `at` (midnight when they are empty). */
function withClock({ year, month, day }: CalendarDay, match: RegExpExecArray, at: number): WallTime {
  const [hour, minute, second] = [match[at], match[at + 1], match[at + 2]].map((part) => Number(part ?? 0));
  return { year, month, day, hour: hour ?? 0, minute: minute ?? 0, second: second ?? 0 };
}

function precisionOf(match: RegExpExecArray, at: number): DatePrecision {
  if (match[at + 2] !== undefined) return 'second';
  return match[at] !== undefined ? 'minute' : 'day';
}

function formatPrecision(format: string): DatePrecision {
  const tokens = format.replace(/'[^']*'/g, '');
  if (tokens.includes('s')) return 'second';
  return /[HhKkm]/.test(tokens) ? 'minute' : 'day';
}

let lastReference: { key: string; day: CalendarDay } | undefined;

/** The reference's calendar day in the zone, remembered because a listing asks for it per item. */
function referenceDay({ reference, timeZone }: Context): CalendarDay {
  const key = `${reference.getTime()}|${timeZone}`;
  if (lastReference?.key === key) return lastReference.day;
  const zoned = new TZDate(reference.getTime(), timeZone);
  const day = { year: zoned.getFullYear(), month: zoned.getMonth() + 1, day: zoned.getDate() };
  lastReference = { key, day };
  return day;
}

function daysBefore({ year, month, day }: CalendarDay, count: number): CalendarDay {
  const date = new Date(Date.UTC(year, month - 1, day - count));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

function truncate(ms: number, unit: number): number {
  return Math.floor(ms / unit) * unit;
}

function resolve(reading: Reading, shown: string, context: Context): ParsedDate {
  const { precision } = reading;
  if ('instant' in reading) return { iso: isoAt(reading.instant, context), precision };
  const { wall, offsetMinutes } = reading;
  const dateWhy = dateProblem(wall, reading.yearInferred);
  if (dateWhy) throw invalid(`"${shown}" is not a calendar date: ${dateWhy}.`, context);
  const timeWhy = timeProblem(wall, precision);
  if (timeWhy) throw invalid(`"${shown}" has an impossible time: ${timeWhy}.`, context);
  if (offsetMinutes === undefined) return { iso: wallTimeIso(wall, context), precision };
  const utc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return { iso: isoAt(utc - offsetMinutes * MINUTE, context), precision };
}

// Listings repeat the same dates. Both caches are bounded (cleared when full) and hold only what
// the reference cannot change: whole texts of absolute forms, and wall time → ISO in a zone, which
// is the same whichever form (or reference) produced the wall time.
const absoluteCache = new Map<string, ParsedDate>();
const wallTimeCache = new Map<string, string>();

function remember<T>(cache: Map<string, T>, key: string, value: T): void {
  if (cache.size >= 10_000) cache.clear();
  cache.set(key, value);
}

function wallTimeIso({ year, month, day, hour, minute, second }: WallTime, context: Context): string {
  const key = `${context.timeZone}|${year}-${month}-${day} ${hour}:${minute}:${second}`;
  let iso = wallTimeCache.get(key);
  if (iso === undefined) {
    iso = isoOf(new TZDate(year, month - 1, day, hour, minute, second, context.timeZone), context);
    remember(wallTimeCache, key, iso);
  }
  return iso;
}

function isoAt(instant: number, context: Context): string {
  return isoOf(new TZDate(instant, context.timeZone), context);
}

function isoOf(date: Date, context: Context): string {
  if (Number.isNaN(date.getTime())) {
    throw new DateError('bad-zone', `"${context.timeZone}" is not a known time zone.`, context.text);
  }
  return formatISO(date);
}

function dateProblem({ year, month, day }: CalendarDay, yearInferred = false): string | undefined {
  if (year < 1900 || year > 2200) return `year ${year} is outside 1900–2200`;
  if (month < 1 || month > 12) return `month ${month} does not exist`;
  if (day === 0) return 'day 0 does not exist';
  const days = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 31);
  if (day <= days) return undefined;
  const note = yearInferred ? ' (the year comes from the reference date)' : '';
  return `${MONTH_NAMES[month - 1]} ${year} has ${days} days${note}`;
}

function timeProblem({ hour, minute, second }: WallTime, precision: DatePrecision): string | undefined {
  if (hour < 24 && minute < 60 && second < 60) return undefined;
  const parts = precision === 'second' ? [hour, minute, second] : [hour, minute];
  return `${parts.map((part) => String(part).padStart(2, '0')).join(':')} is not a time of day`;
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function invalid(message: string, context: Context): DateError {
  return new DateError('invalid-date', message, context.text);
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
