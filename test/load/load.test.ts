import { describe, expect, it } from 'vitest';
import { RSS_GROWTH_BOUND_MIB, runLoad } from './load.js';

describe('a bounded load test (5 s here; 60 s in pnpm bench)', () => {
  it('100 connections of mixed feed requests: no errors, memory within its bound', async () => {
    const result = await runLoad({ durationSeconds: 5, connections: 100 });
    expect(result.requests).toBeGreaterThan(1000);
    expect(result.errors).toBe(0);
    expect(result.rssAfterMiB - result.rssBeforeMiB).toBeLessThan(RSS_GROWTH_BOUND_MIB);
  }, 120_000);
});
