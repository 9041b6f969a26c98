/** What a `<time>` shows: `datetime` is the feed's own string, untouched. */
export interface DateView {
  datetime: string;
  text: string;
  /** The absolute date, as a tooltip for a relative one. */
  title: string | null;
}

const DAY = 86_400_000;

interface SourceDate {
  /** The source's calendar day, as days since 1970-01-01. */
  day: number;
  /** The source's UTC offset in minutes, or null when the string has none (a bare date). */
  offset: number | null;
}

/**
 * The calendar day as the source wrote it: `2024-12-04T09:00:00+08:00` is 4 December whatever the
 * viewer's zone. Null for anything that is not an RFC 3339 / ISO 8601 date.
 */
export function sourceDate(iso: string): SourceDate | null {
  const match = /^(\d{4})-(\d\d)-(\d\d)(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(Z|[+-]\d\d:?\d\d)?)?$/i.exec(
    iso.trim(),
  );
  if (!match) return null;
  const [, year, month, date, zone] = match;
  const time = Date.UTC(Number(year), Number(month) - 1, Number(date));
  // 2024-02-30, day 00 or month 13 would roll over into another month.
  if (new Date(time).getUTCMonth() !== Number(month) - 1) return null;
  let offset: number | null = null;
  if (zone) {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.replace(/\D/g, '');
    offset =
      zone.toUpperCase() === 'Z' ? 0 : sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  }
  return { day: time / DAY, offset };
}

// Formatters are costly to build (ICU data behind each one): one per language and kind, reused.
const absoluteFormats = new Map<string, Intl.DateTimeFormat>();
const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();

function cached<T>(formats: Map<string, T>, key: string, build: () => T): T {
  let format = formats.get(key);
  if (!format) {
    format = build();
    formats.set(key, format);
  }
  return format;
}

/** `2024年12月4日` (zh-CN), `December 4, 2024` (en): the source's calendar day in the viewer's language. */
export function formatAbsolute(day: number, lang: string): string {
  return cached(
    absoluteFormats,
    lang,
    () => new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }),
  ).format(day * DAY);
}

/**
 * `今天`, `昨天`, `3天前`, `2个月前`: whole calendar days between the source's day and today as
 * the source counts days (in its own offset; in the viewer's zone for a bare date). A source
 * that only gives a date gets no invented hours. Future dates read as today.
 */
export function formatRelative(date: SourceDate, lang: string, now: number): string {
  const local = new Date(now);
  const today =
    date.offset === null
      ? Date.UTC(local.getFullYear(), local.getMonth(), local.getDate()) / DAY
      : Math.floor((now + date.offset * 60_000) / DAY);
  const days = Math.max(0, today - date.day);
  const [value, unit]: [number, Intl.RelativeTimeFormatUnit] =
    days < 30
      ? [days, 'day']
      : days < 365
        ? [Math.max(1, Math.floor(days / 30.4375)), 'month']
        : [Math.max(1, Math.floor(days / 365.25)), 'year'];
  // `auto` gives 今天/昨天 for days; months and years stay numeric (a count, not "last month").
  const numeric = unit === 'day' ? 'auto' : 'always';
  return cached(
    relativeFormats,
    `${lang} ${numeric}`,
    () => new Intl.RelativeTimeFormat(lang, { numeric }),
  ).format(-value, unit);
}

/** The `<time>` for a `date_published` string, or null when it is not a date. */
export function formatDate(iso: string, lang: string, relative: boolean, now: number): DateView | null {
  const date = sourceDate(iso);
  if (!date) return null;
  const absolute = formatAbsolute(date.day, lang);
  return relative
    ? { datetime: iso, text: formatRelative(date, lang, now), title: absolute }
    : { datetime: iso, text: absolute, title: null };
}
