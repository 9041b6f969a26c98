import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, page, startServer, testFetcher } from './helpers.js';

afterEach(closeAll);

/** A server that holds each request `holdMs`, recording when requests start and how many overlap. */
async function busyServer(holdMs: number) {
  const stats = { inFlight: 0, maxInFlight: 0, starts: [] as number[] };
  const server = await startServer((_request, response) => {
    stats.starts.push(performance.now());
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    setTimeout(() => {
      stats.inFlight--;
      page(response, 'ok');
    }, holdMs);
  });
  return { server, stats };
}

describe('per-host politeness', () => {
  it('never has more than perHostConcurrency requests in flight to one host', async () => {
    const { server, stats } = await busyServer(80);
    const fetcher = testFetcher({ perHostConcurrency: 2 });
    await Promise.all(Array.from({ length: 6 }, (_, n) => fetcher.fetch(`${server.origin}/${n}`)));
    expect(stats.starts).toHaveLength(6);
    expect(stats.maxInFlight).toBe(2);
  });

  it('limits each host on its own', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const hold = await Promise.all(
      [0, 1].map(() =>
        startServer((_request, response) => {
          maxInFlight = Math.max(maxInFlight, ++inFlight);
          setTimeout(() => {
            inFlight--;
            page(response, 'ok');
          }, 80);
        }),
      ),
    );
    const fetcher = testFetcher({ perHostConcurrency: 1 });
    await Promise.all(hold.flatMap((server) => [0, 1].map((n) => fetcher.fetch(`${server.origin}/${n}`))));
    // One request at a time per host, but the two hosts overlap.
    expect(maxInFlight).toBe(2);
  });

  it('spaces request starts to one host at least perHostDelayMs apart', async () => {
    const { server, stats } = await busyServer(0);
    const fetcher = testFetcher({ perHostConcurrency: 4, perHostDelayMs: 150 });
    await Promise.all(Array.from({ length: 4 }, (_, n) => fetcher.fetch(`${server.origin}/${n}`)));
    const gaps = stats.starts.slice(1).map((start, i) => start - stats.starts[i]!);
    expect(gaps).toHaveLength(3);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(130);
  });
});
