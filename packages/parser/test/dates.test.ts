import { describe, expect, it } from 'vitest';
import { DateError } from '../src/errors.js';
import { containsDate, parseDate, readDate } from '../src/normalize/dates.js';

const SHANGHAI = 'Asia/Shanghai';
const BERLIN = 'Europe/Berlin';
/** 2024-12-04 18:30:45 in Shanghai. */
const REFERENCE = new Date('2024-12-04T10:30:45Z');

function readError(text: string, options: Parameters<typeof readDate>[1]): DateError {
  try {
    readDate(text, options);
  } catch (error) {
    if (error instanceof DateError) return error;
    throw error;
  }
  throw new Error(`"${text}" was read as a date`);
}

describe('readDate: absolute dates in Shanghai', () => {
  it.each([
    ['2024-12-04', '2024-12-04T00:00:00+08:00', 'day'],
    ['2024/12/04', '2024-12-04T00:00:00+08:00', 'day'],
    ['2024.12.04', '2024-12-04T00:00:00+08:00', 'day'],
    ['2024年12月4日', '2024-12-04T00:00:00+08:00', 'day'],
    ['2024-1-5', '2024-01-05T00:00:00+08:00', 'day'],
    ['2024 年 12 月 4 日', '2024-12-04T00:00:00+08:00', 'day'],
    ['2024-12-04 09:00', '2024-12-04T09:00:00+08:00', 'minute'],
    ['2024-12-04 09:00:05', '2024-12-04T09:00:05+08:00', 'second'],
    ['2024-12-04T09:00', '2024-12-04T09:00:00+08:00', 'minute'],
    ['2024-12-04 09：00', '2024-12-04T09:00:00+08:00', 'minute'],
    ['2024年12月4日 09时00分', '2024-12-04T09:00:00+08:00', 'minute'],
    ['2024年12月4日09时00分05秒', '2024-12-04T09:00:05+08:00', 'second'],
    ['发布时间：2024-12-04 09:00', '2024-12-04T09:00:00+08:00', 'minute'],
    ['日期:2024-12-04', '2024-12-04T00:00:00+08:00', 'day'],
    ['[2024-12-04]', '2024-12-04T00:00:00+08:00', 'day'],
    ['（2024-12-04）', '2024-12-04T00:00:00+08:00', 'day'],
    ['时间：2024年12月4日', '2024-12-04T00:00:00+08:00', 'day'],
    ['关于第3-4期培训的通知 2024-12-04', '2024-12-04T00:00:00+08:00', 'day'],
    ['2024-02-29', '2024-02-29T00:00:00+08:00', 'day'],
    ['昨天的会议纪要 2024-12-04', '2024-12-04T00:00:00+08:00', 'day'],
    ['2200-12-31 23:59', '2200-12-31T23:59:00+08:00', 'minute'],
  ])('%s → %s (%s)', (text, iso, precision) => {
    expect(readDate(text, { timeZone: SHANGHAI, reference: REFERENCE })).toEqual({ iso, precision });
  });
});

describe('readDate: ISO instants keep their instant and move to the zone', () => {
  it.each([
    ['2024-12-04T09:00:00+08:00', SHANGHAI, '2024-12-04T09:00:00+08:00', 'second'],
    ['2024-12-04T01:00:00Z', SHANGHAI, '2024-12-04T09:00:00+08:00', 'second'],
    ['2024-12-04T01:00Z', SHANGHAI, '2024-12-04T09:00:00+08:00', 'minute'],
    ['2024-12-04T01:00:00.123Z', SHANGHAI, '2024-12-04T09:00:00+08:00', 'second'],
    ['2024-12-03T20:00:00-05:00', SHANGHAI, '2024-12-04T09:00:00+08:00', 'second'],
    ['<meta content="2024-12-04T17:30:00+0100">', SHANGHAI, '2024-12-05T00:30:00+08:00', 'second'],
    ['2024-12-04T09:00:00+08:00', BERLIN, '2024-12-04T02:00:00+01:00', 'second'],
    ['2024-06-30T22:30:00Z', BERLIN, '2024-07-01T00:30:00+02:00', 'second'],
  ])('%s in %s → %s (%s)', (text, timeZone, iso, precision) => {
    expect(readDate(text, { timeZone })).toEqual({ iso, precision });
  });
});

describe('readDate: Berlin across daylight saving time', () => {
  it.each([
    ['2024-03-31 01:30', '2024-03-31T01:30:00+01:00', 'minute'],
    ['2024-03-31 03:30', '2024-03-31T03:30:00+02:00', 'minute'],
    ['2024-10-27 12:00', '2024-10-27T12:00:00+01:00', 'minute'],
    ['2024-07-01', '2024-07-01T00:00:00+02:00', 'day'],
    ['03-30', '2024-03-30T00:00:00+01:00', 'day'],
    ['03-31 12:00', '2024-03-31T12:00:00+02:00', 'minute'],
    ['昨天', '2024-03-30T00:00:00+01:00', 'day'],
    ['今天 01:30', '2024-03-31T01:30:00+01:00', 'minute'],
    ['3小时前', '2024-03-31T11:00:00+02:00', 'minute'],
  ])('%s → %s (%s)', (text, iso, precision) => {
    const reference = new Date('2024-03-31T12:00:00Z'); // 14:00 CEST, the day clocks went forward
    expect(readDate(text, { timeZone: BERLIN, reference })).toEqual({ iso, precision });
  });
});

describe('readDate: month-day takes the most recent year that is not in the future', () => {
  it.each([
    ['12-04', REFERENCE, '2024-12-04T00:00:00+08:00', 'day'],
    ['12/03', REFERENCE, '2024-12-03T00:00:00+08:00', 'day'],
    ['12.01', REFERENCE, '2024-12-01T00:00:00+08:00', 'day'],
    ['12月4日', REFERENCE, '2024-12-04T00:00:00+08:00', 'day'],
    ['3月5日', REFERENCE, '2024-03-05T00:00:00+08:00', 'day'],
    ['12月4号 09:00', REFERENCE, '2024-12-04T09:00:00+08:00', 'minute'],
    ['【12-04】', REFERENCE, '2024-12-04T00:00:00+08:00', 'day'],
    ['12-04 09:00', REFERENCE, '2024-12-04T09:00:00+08:00', 'minute'],
    ['12月4日 09:00:05', REFERENCE, '2024-12-04T09:00:05+08:00', 'second'],
    ['12-04 23:00', REFERENCE, '2024-12-04T23:00:00+08:00', 'minute'],
    ['12-05', REFERENCE, '2023-12-05T00:00:00+08:00', 'day'],
    ['12-31', new Date('2025-01-02T10:00:00+08:00'), '2024-12-31T00:00:00+08:00', 'day'],
    ['01-02', new Date('2025-01-02T10:00:00+08:00'), '2025-01-02T00:00:00+08:00', 'day'],
    ['01-03', new Date('2025-01-02T10:00:00+08:00'), '2024-01-03T00:00:00+08:00', 'day'],
    ['01-01', new Date('2024-12-31T23:30:00Z'), '2025-01-01T00:00:00+08:00', 'day'],
    ['01-01 09:00', new Date('2024-12-31T23:30:00Z'), '2025-01-01T09:00:00+08:00', 'minute'],
    ['12-31', new Date('2024-12-31T23:30:00Z'), '2024-12-31T00:00:00+08:00', 'day'],
  ])('%s against %s → %s (%s)', (text, reference, iso, precision) => {
    expect(readDate(text, { timeZone: SHANGHAI, reference })).toEqual({ iso, precision });
  });

  it('infers the year in the zone, not in UTC', () => {
    const reference = new Date('2024-12-31T23:30:00Z'); // still 2024-12-31 in New York
    expect(readDate('01-01', { timeZone: 'America/New_York', reference }).iso).toBe(
      '2024-01-01T00:00:00-05:00',
    );
    expect(readDate('01-01', { timeZone: BERLIN, reference }).iso).toBe('2025-01-01T00:00:00+01:00');
  });
});

describe('readDate: relative forms against the reference', () => {
  it.each([
    ['刚刚', '2024-12-04T18:30:00+08:00', 'minute'],
    ['30秒前', '2024-12-04T18:30:15+08:00', 'second'],
    ['5分钟前', '2024-12-04T18:25:00+08:00', 'minute'],
    ['3小时前', '2024-12-04T15:30:00+08:00', 'minute'],
    ['2个小时前', '2024-12-04T16:30:00+08:00', 'minute'],
    ['20小时前', '2024-12-03T22:30:00+08:00', 'minute'],
    ['今天 14:20', '2024-12-04T14:20:00+08:00', 'minute'],
    ['昨天 14:20', '2024-12-03T14:20:00+08:00', 'minute'],
    ['前天 09:00', '2024-12-02T09:00:00+08:00', 'minute'],
    ['今天', '2024-12-04T00:00:00+08:00', 'day'],
    ['昨天', '2024-12-03T00:00:00+08:00', 'day'],
    ['前天', '2024-12-02T00:00:00+08:00', 'day'],
    ['3天前', '2024-12-01T00:00:00+08:00', 'day'],
    ['10天前', '2024-11-24T00:00:00+08:00', 'day'],
    ['发布时间：昨天', '2024-12-03T00:00:00+08:00', 'day'],
  ])('%s → %s (%s)', (text, iso, precision) => {
    expect(readDate(text, { timeZone: SHANGHAI, reference: REFERENCE })).toEqual({ iso, precision });
  });

  it('is not cached across references', () => {
    const later = new Date('2024-12-05T10:30:45Z');
    for (const text of ['昨天 14:20', '3小时前', '昨天', '12-05']) {
      const first = readDate(text, { timeZone: SHANGHAI, reference: REFERENCE });
      const second = readDate(text, { timeZone: SHANGHAI, reference: later });
      expect(second.iso).not.toBe(first.iso);
    }
  });

  it('defaults the reference to now', () => {
    const before = Date.now();
    const parsed = readDate('30秒前', { timeZone: SHANGHAI });
    expect(new Date(parsed.iso).getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 31_000);
    expect(new Date(parsed.iso).getTime()).toBeLessThanOrEqual(Date.now() - 29_000);
  });
});

describe('readDate with a format', () => {
  it.each([
    ['04/12/2024', 'dd/MM/yyyy', SHANGHAI, '2024-12-04T00:00:00+08:00', 'day'],
    ['04/12/2024 09:30', 'dd/MM/yyyy HH:mm', SHANGHAI, '2024-12-04T09:30:00+08:00', 'minute'],
    ['2024-12-04 09:30:15', 'yyyy-MM-dd HH:mm:ss', SHANGHAI, '2024-12-04T09:30:15+08:00', 'second'],
    ['2024年12月04日', "yyyy'年'MM'月'dd'日'", SHANGHAI, '2024-12-04T00:00:00+08:00', 'day'],
    ['Dec 4, 2024', 'MMM d, yyyy', SHANGHAI, '2024-12-04T00:00:00+08:00', 'day'],
    ['  04/12  ', 'dd/MM', SHANGHAI, '2024-12-04T00:00:00+08:00', 'day'],
    ['01.07.2024 12:00', 'dd.MM.yyyy HH:mm', BERLIN, '2024-07-01T12:00:00+02:00', 'minute'],
    ['31/03/2024 03:30:00', 'dd/MM/yyyy HH:mm:ss', BERLIN, '2024-03-31T03:30:00+02:00', 'second'],
    ['01.12.2024 12:00', 'dd.MM.yyyy HH:mm', BERLIN, '2024-12-01T12:00:00+01:00', 'minute'],
  ])('%s as %s in %s → %s (%s)', (text, format, timeZone, iso, precision) => {
    expect(readDate(text, { timeZone, format, reference: REFERENCE })).toEqual({ iso, precision });
  });

  it.each([
    ['2024-12-04', 'dd/MM/yyyy'],
    ['31/02/2024', 'dd/MM/yyyy'],
    ['发布时间：04/12/2024', 'dd/MM/yyyy'],
  ])('%s does not match %s: bad-format', (text, format) => {
    const error = readError(text, { timeZone: SHANGHAI, format });
    expect(error.code).toBe('bad-format');
    expect(error.message).toContain(format);
    expect(error.text).toBe(text);
    expect(parseDate(text, SHANGHAI, { format })).toBeNull();
  });
});

describe('readDate rejects impossible dates with a plain reason', () => {
  it.each([
    ['2024-02-30', '"2024-02-30" is not a calendar date: February 2024 has 29 days.'],
    ['2023-02-29', '"2023-02-29" is not a calendar date: February 2023 has 28 days.'],
    ['2024-04-31', 'April 2024 has 30 days'],
    ['2024-13-01', 'month 13 does not exist'],
    ['2024-00-10', 'month 0 does not exist'],
    ['发布时间：2024-12-04 25:00', '"2024-12-04 25:00" has an impossible time: 25:00 is not a time of day.'],
    ['2024-12-04 09:60', '09:60 is not a time of day'],
    ['2024-12-04 23:59:60', '23:59:60 is not a time of day'],
    ['1899-12-31', 'year 1899 is outside 1900–2200'],
    ['2201-01-01', 'year 2201 is outside 1900–2200'],
    ['2024-02-30T09:00:00Z', 'February 2024 has 29 days'],
    ['02-30', 'February 2024 has 29 days (the year comes from the reference date)'],
    ['昨天 25:00', '25:00 is not a time of day'],
  ])('%s: %s', (text, reason) => {
    const error = readError(text, { timeZone: SHANGHAI, reference: REFERENCE });
    expect(error).toBeInstanceOf(DateError);
    expect(error.code).toBe('invalid-date');
    expect(error.message).toContain(reason);
    expect(error.text).toBe(text);
    expect(parseDate(text, SHANGHAI, { reference: REFERENCE })).toBeNull();
  });
});

describe('readDate checks what a format produced', () => {
  it('rejects years outside 1900–2200', () => {
    const error = readError('01/01/2201', { timeZone: SHANGHAI, format: 'dd/MM/yyyy' });
    expect(error.code).toBe('invalid-date');
    expect(error.message).toBe('"01/01/2201" is not a calendar date: year 2201 is outside 1900–2200.');
  });

  it('rejects 02-29 in a year without it', () => {
    const reference = new Date('2025-03-01T00:00:00Z');
    expect(readError('02-29', { timeZone: SHANGHAI, reference }).message).toBe(
      '"02-29" is not a calendar date: February 2025 has 28 days (the year comes from the reference date).',
    );
  });

  it('reports an unknown zone as a DateError (parseDate: null)', () => {
    expect(readError('2024-12-04', { timeZone: 'Mars/Olympus' }).code).toBe('bad-zone');
    expect(parseDate('2024-12-04', 'Mars/Olympus')).toBeNull();
  });
});

describe('readDate without a date', () => {
  it.each([[''], ['no date'], ['共3页'], ['电话 022-23456789'], ['第1-2期'], ['09:00'], ['2024年']])(
    '%j: no-date',
    (text) => {
      const error = readError(text, { timeZone: SHANGHAI });
      expect(error.code).toBe('no-date');
      expect(error.message).toBe(`No date in "${text}"`);
      expect(parseDate(text, SHANGHAI)).toBeNull();
    },
  );

  it('shortens long text in the message to 80 characters', () => {
    const error = readError('字'.repeat(200), { timeZone: SHANGHAI });
    expect(error.message).toBe(`No date in "${'字'.repeat(79)}…"`);
    expect(error.text).toHaveLength(200);
  });
});

describe('parseDate keeps the old signature', () => {
  it('reads what readDate reads, with an optional reference', () => {
    expect(parseDate('2024-12-04 09:00', SHANGHAI)).toEqual({
      iso: '2024-12-04T09:00:00+08:00',
      precision: 'minute',
    });
    expect(parseDate('昨天', SHANGHAI, { reference: REFERENCE })?.iso).toBe('2024-12-03T00:00:00+08:00');
  });

  it('answers repeated dates from the cache consistently', () => {
    const first = parseDate('2024-12-04 09:00', BERLIN);
    expect(parseDate('2024-12-04 09:00', BERLIN)).toEqual(first);
    expect(parseDate('2024-12-04 09:00', SHANGHAI)?.iso).not.toBe(first?.iso);
  });
});

describe('containsDate', () => {
  it.each([
    ['2024-12-04', true],
    ['发布时间：2024年12月4日 09:00', true],
    ['2024-12-04T01:00:00Z', true],
    ['【12-04】', true],
    ['通知公告 12/04', true],
    ['12月4日', true],
    ['刚刚', true],
    ['3小时前', true],
    ['5分钟前', true],
    ['昨天 14:20', true],
    ['前天', true],
    ['3天前', true],
    ['电话 022-23456789', false],
    ['第1-2期', false],
    ['第10-12期', false],
    ['1-2', false],
    ['12-34', false],
    ['13-01', false],
    ['09:00', false],
    ['09:00-11:00', false],
    ['2024年', false],
    ['共3页', false],
    ['123456', false],
    ['增长12.04%', false],
    ['版本 1.2.3', false],
    ['昨天的会议精神', false],
    ['关于做好2024年度教育工作的通知', false],
    ['', false],
  ])('%j → %s', (text, expected) => {
    expect(containsDate(text)).toBe(expected);
  });
});
