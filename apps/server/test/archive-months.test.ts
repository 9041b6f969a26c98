import { describe, expect, it } from 'vitest';
import { archivePath, monthBounds, monthOf, readMonth } from '../src/views/archive-months.js';

const ms = (iso: string) => Date.parse(iso);

describe('archive months, in the source’s time zone', () => {
  it('reads YYYY-MM and nothing else', () => {
    expect(readMonth('2024-11')).toBe('2024-11');
    expect(readMonth('2199-12')).toBe('2199-12');
    for (const bad of [
      '2024-13',
      '2024-00',
      '2024-1',
      '24-11',
      '2024-11-01',
      ' 2024-11',
      '1899-12',
      '2200-01',
      '',
    ]) {
      expect(readMonth(bad), bad).toBeUndefined();
    }
  });

  it('puts an instant in the month its zone’s readers see', () => {
    // 2024-12-01 00:30 in Tianjin is still 30 November in UTC.
    expect(monthOf(ms('2024-11-30T16:30:00Z'), 'Asia/Shanghai')).toBe('2024-12');
    expect(monthOf(ms('2024-11-30T16:30:00Z'), 'UTC')).toBe('2024-11');
    expect(monthOf(ms('2024-12-31T23:59:59+08:00'), 'Asia/Shanghai')).toBe('2024-12');
    expect(monthOf(ms('2025-01-01T00:00:00+08:00'), 'Asia/Shanghai')).toBe('2025-01');
    expect(monthOf(Number.NaN, 'UTC')).toBeUndefined();
  });

  it('bounds a month by local midnights, with the offset of each (summer time included)', () => {
    expect(monthBounds('2024-12', 'Asia/Shanghai')).toEqual({
      startMs: ms('2024-12-01T00:00:00+08:00'),
      endMs: ms('2025-01-01T00:00:00+08:00'),
    });
    // New York: March begins in EST (-05:00), April in EDT (-04:00).
    expect(monthBounds('2025-03', 'America/New_York')).toEqual({
      startMs: ms('2025-03-01T00:00:00-05:00'),
      endMs: ms('2025-04-01T00:00:00-04:00'),
    });
    expect(monthBounds('2199-12', 'UTC').endMs).toBe(ms('2200-01-01T00:00:00Z'));
  });

  it('agrees with itself: every instant of a month is in its bounds, and the end begins the next', () => {
    const zone = 'Europe/Berlin';
    const { startMs, endMs } = monthBounds('2024-10', zone);
    expect(monthOf(startMs, zone)).toBe('2024-10');
    expect(monthOf(endMs - 1, zone)).toBe('2024-10');
    expect(monthOf(endMs, zone)).toBe('2024-11');
    expect(monthOf(startMs - 1, zone)).toBe('2024-09');
  });

  it('names the archive path of each format', () => {
    expect(archivePath('demo', '2024-11', 'atom')).toBe('/feeds/demo/archive/2024-11.atom');
    expect(archivePath('demo', '2024-11', 'json')).toBe('/feeds/demo/archive/2024-11.json');
  });
});
