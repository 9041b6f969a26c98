import { compileProfile } from '@tidings/parser';
import { describe, expect, it } from 'vitest';
import type { SourceConfig } from '../src/config/types.js';
import { formatInZone, formatStatusTime, formattersHeld, sourceTimeZone } from '../src/views/times.js';

function source(overrides: Partial<SourceConfig>): SourceConfig {
  return {
    id: 'school',
    url: 'https://www.example.edu.cn/xwzx/',
    enabled: true,
    pages: 1,
    refreshMs: 3_600_000,
    fullText: false,
    retention: {},
    allowPrivateNetwork: false,
    ...overrides,
  };
}

describe('times in a source’s zone', () => {
  it('takes the zone of the profile a source resolves to, else the one detection reads dates in', () => {
    // Matched by URL: the Tianjin profile prints China time.
    expect(sourceTimeZone(source({ url: 'https://jy.tj.gov.cn/JYXW/TJJY/' }))).toBe('Asia/Shanghai');
    // Named by id.
    expect(sourceTimeZone(source({ profile: 'trs' }))).toBe('Asia/Shanghai');
    // Written in the config, with a zone of its own.
    const written = compileProfile(
      { timeZone: 'Europe/Berlin', list: { item: 'li', title: 'a', link: 'a@href', date: 'time' } },
      { id: 'school' },
    );
    expect(sourceTimeZone(source({ profile: written }))).toBe('Europe/Berlin');
    // Nothing known about the site: it is parsed by detection, which reads its dates in Shanghai.
    expect(sourceTimeZone(source({}))).toBe('Asia/Shanghai');
  });

  it('formats an instant as the source’s readers read it, to the minute or the day', () => {
    const instant = '2026-12-01T06:30:00.000Z';
    expect(formatInZone(instant, 'Asia/Shanghai')).toBe('2026-12-01 14:30');
    expect(formatInZone(instant, 'UTC')).toBe('2026-12-01 06:30');
    expect(formatInZone('2026-12-01T20:05:00Z', 'Asia/Shanghai')).toBe('2026-12-02 04:05');
    expect(formatInZone('2026-12-01T16:00:00Z', 'Asia/Shanghai')).toBe('2026-12-02 00:00');
    // A date-only article: local midnight, shown as its day.
    expect(formatInZone('2024-12-04T00:00:00+08:00', 'Asia/Shanghai', 'day')).toBe('2024-12-04');
    expect(formatStatusTime(instant, 'Asia/Shanghai')).toBe('2026-12-01 14:30 (Asia/Shanghai)');
    expect(formatInZone('not a date', 'UTC')).toBeUndefined();
    expect(formatStatusTime('not a date', 'UTC')).toBe('not a date');
  });

  it('builds one formatter per zone and holds a bounded number of them', () => {
    const zones = Intl.supportedValuesOf('timeZone').slice(0, 100);
    for (let round = 0; round < 3; round++) {
      for (const zone of zones) formatInZone('2026-12-01T06:30:00Z', zone);
    }
    expect(formattersHeld()).toBeLessThanOrEqual(32);
    expect(formattersHeld()).toBeGreaterThan(0);
  });
});
