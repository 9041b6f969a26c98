import { describe, expect, it } from 'vitest';
import { contentCodings, UnsupportedEncodingError } from '../src/decompress.js';
import { formatDuration } from '../src/format.js';
import { backoffMs, isRetryableStatus, retryAfterMs } from '../src/retry.js';
import { productToken } from '../src/robots.js';

describe('retryAfterMs', () => {
  const now = Date.parse('2024-12-04T00:00:00Z');

  it('reads delay-seconds and HTTP dates', () => {
    expect(retryAfterMs('1', now)).toBe(1000);
    expect(retryAfterMs(' 120 ', now)).toBe(120_000);
    expect(retryAfterMs('Wed, 04 Dec 2024 00:00:30 GMT', now)).toBe(30_000);
  });

  it('never asks for a negative wait, and ignores what it cannot read', () => {
    expect(retryAfterMs('Tue, 03 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs('-5', now)).toBeUndefined();
  });
});

describe('backoffMs', () => {
  it('stays within [0, base·2ⁿ⁻¹)', () => {
    for (let i = 0; i < 200; i++) {
      const first = backoffMs(1, 500);
      const third = backoffMs(3, 500);
      expect(first).toBeGreaterThanOrEqual(0);
      expect(first).toBeLessThan(500);
      expect(third).toBeLessThan(2000);
    }
  });
});

describe('isRetryableStatus', () => {
  it('retries 5xx and 429, never another 4xx', () => {
    expect([500, 502, 503, 504, 429].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 410, 451].some(isRetryableStatus)).toBe(false);
  });
});

describe('contentCodings', () => {
  it('lists the codings in the order applied, ignoring identity', () => {
    expect(contentCodings(undefined)).toEqual([]);
    expect(contentCodings('identity')).toEqual([]);
    expect(contentCodings('GZIP')).toEqual(['gzip']);
    expect(contentCodings('x-gzip')).toEqual(['gzip']);
    expect(contentCodings('deflate, br')).toEqual(['deflate', 'br']);
  });

  it('refuses a coding it cannot undo', () => {
    expect(() => contentCodings('gzip, zstd')).toThrow(UnsupportedEncodingError);
  });
});

describe('productToken', () => {
  it('takes the name robots.txt groups match', () => {
    expect(productToken('TidingsBot/0.1 (+https://github.com/tidings/tidings)')).toBe('TidingsBot');
    expect(productToken('MyCrawler')).toBe('MyCrawler');
    expect(productToken('My Crawler 2')).toBe('My');
  });
});

describe('formatDuration', () => {
  it('reads like a person wrote it', () => {
    expect(formatDuration(300)).toBe('300 ms');
    expect(formatDuration(1000)).toBe('1 s');
    expect(formatDuration(1500)).toBe('1.5 s');
    expect(formatDuration(30_000)).toBe('30 s');
  });
});
