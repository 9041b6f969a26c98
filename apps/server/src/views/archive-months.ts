import type { FeedFormat } from '@tidings/feeds';
import { readDate } from '@tidings/parser';
import { FEED_EXTENSIONS } from './channel.js';
import { formatInZone } from './times.js';

/**
 * A calendar month in a source's time zone, `2024-11`: the unit of its archive. Each article is
 * archived in the month its publishedAt falls in as the source's readers read it, so an article
 * published 2024-12-01 00:30 in Tianjin is December's, though it is still November in UTC.
 */
export type ArchiveMonth = `${number}-${number}`;

/** The years an archive path may name: those the parser reads dates in (its month after included). */
const FIRST_YEAR = 1900;
const LAST_YEAR = 2199;
const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** `2024-11` as written in an archive path, or undefined for anything else (`2024-13`, `24-11`). */
export function readMonth(text: string): ArchiveMonth | undefined {
  const match = MONTH_PATTERN.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  return year >= FIRST_YEAR && year <= LAST_YEAR ? (text as ArchiveMonth) : undefined;
}

/** The month an instant (epoch ms) falls in, in `zone`. */
export function monthOf(instantMs: number, zone: string): ArchiveMonth | undefined {
  if (!Number.isFinite(instantMs)) return undefined;
  const day = formatInZone(new Date(instantMs).toISOString(), zone, 'day');
  return day ? readMonth(day.slice(0, 7)) : undefined;
}

/** The month after this one. */
function nextMonth(month: ArchiveMonth): string {
  const [year, number] = month.split('-').map(Number) as [number, number];
  return number === 12 ? `${year + 1}-01` : `${year}-${String(number + 1).padStart(2, '0')}`;
}

/**
 * Where a month begins and ends, as instants: local midnight of its first day and of the next
 * month's, in `zone` (its offset then, summer time included), read by the parser's wall-time rules.
 */
export function monthBounds(month: ArchiveMonth, zone: string): { startMs: number; endMs: number } {
  const midnight = (yearMonth: string) =>
    Date.parse(readDate(`${yearMonth}-01 00:00`, { timeZone: zone }).iso);
  return { startMs: midnight(month), endMs: midnight(nextMonth(month)) };
}

/** `/feeds/<id>/archive/2024-11.atom`. */
export function archivePath(sourceId: string, month: ArchiveMonth, format: FeedFormat): string {
  return `/feeds/${sourceId}/archive/${month}.${FEED_EXTENSIONS[format]}`;
}
