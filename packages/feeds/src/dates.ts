import { FeedError } from './errors.js';

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface Parts {
  year: string;
  month: string;
  day: string;
  time: string;
  offset: string;
}

/** ISO 8601 with an offset, as the parser gives it; anything else `Date` understands is taken as UTC. */
function parts(iso: string): Parts {
  const match = ISO.exec(iso);
  if (match) {
    const [, year, month, day, hour, minute, second, offset] = match as unknown as string[];
    return { year, month, day, time: `${hour}:${minute}:${second}`, offset } as Parts;
  }
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new FeedError('bad-date', `"${iso}" is not a date and time.`);
  return parts(date.toISOString().replace(/\.\d+Z$/, 'Z'));
}

/** RFC 3339 keeping the source's offset: `2024-12-04T09:00:00+08:00`. */
export function rfc3339(iso: string): string {
  const { year, month, day, time, offset } = parts(iso);
  return `${year}-${month}-${day}T${time}${offset === 'Z' ? '+00:00' : offset}`;
}

/** RFC 822 (as RSS wants) keeping the source's offset: `Wed, 04 Dec 2024 09:00:00 +0800`. */
export function rfc822(iso: string): string {
  const { year, month, day, time, offset } = parts(iso);
  const weekday = DAYS[new Date(Date.UTC(Number(year), Number(month) - 1, Number(day))).getUTCDay()];
  const zone = offset === 'Z' ? '+0000' : offset.replace(':', '');
  return `${weekday}, ${day} ${MONTHS[Number(month) - 1]} ${year} ${time} ${zone}`;
}

/** The later of two instants, compared as instants (offsets differ). */
export function latest(isoDates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestTime = Number.NEGATIVE_INFINITY;
  for (const iso of isoDates) {
    const time = new Date(rfc3339(iso)).getTime();
    if (time > bestTime) {
      best = iso;
      bestTime = time;
    }
  }
  return best;
}
