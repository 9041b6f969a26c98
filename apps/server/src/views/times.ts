import type { DatePrecision } from '@tidings/parser';
import { autoProfile, profiles } from '@tidings/parser';
import type { SourceConfig } from '../config/types.js';

/** Where a source's profile names a zone this runtime does not know. */
export const FALLBACK_ZONE = 'UTC';

/**
 * The zone a source's site prints its times in: its resolved parser profile's `timeZone` (a
 * profile written in the config, a registered one by id, else one matching its URL), else the
 * zone detection reads the site's dates in (a source with no profile is parsed by `auto`).
 */
export function sourceTimeZone(source: SourceConfig): string {
  try {
    const profile =
      typeof source.profile === 'object'
        ? source.profile
        : typeof source.profile === 'string'
          ? profiles.get(source.profile)
          : profiles.forUrl(new URL(source.url));
    if (!profile) return autoProfile.timeZone;
    formatterFor(profile.timeZone); // throws for a zone this runtime does not know
    return profile.timeZone;
  } catch {
    return FALLBACK_ZONE;
  }
}

// Each Intl.DateTimeFormat holds ICU memory outside the JS heap that the GC neither sees nor hurries
// to free (one built per call leaked about 17 KB a call here before): one per zone, and few zones.
const MAX_ZONES = 32;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    if (formatters.size >= MAX_ZONES) formatters.delete(formatters.keys().next().value as string);
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** How many zones hold a formatter (for tests of the bound). */
export function formattersHeld(): number {
  return formatters.size;
}

/**
 * An instant as the source's readers read it: `2026-12-01 14:30` in `zone` (one `sourceTimeZone`
 * gave), or `2026-12-01` for a date known to the day. Undefined for a string that is not an instant.
 */
export function formatInZone(
  iso: string,
  zone: string,
  precision: DatePrecision = 'minute',
): string | undefined {
  const instant = Date.parse(iso);
  if (Number.isNaN(instant)) return undefined;
  const parts: Record<string, string> = {};
  for (const { type, value } of formatterFor(zone).formatToParts(instant)) parts[type] = value;
  const day = `${parts.year}-${parts.month}-${parts.day}`;
  return precision === 'day' ? day : `${day} ${parts.hour}:${parts.minute}`;
}

/** A refresh time for a status line: `2026-12-01 14:30 (Asia/Shanghai)`. */
export function formatStatusTime(iso: string, zone: string): string {
  const shown = formatInZone(iso, zone);
  return shown ? `${shown} (${zone})` : iso;
}
