// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${TIDINGS_…}` is the config syntax under test
import { afterEach, describe, expect, it } from 'vitest';
import { startPostgres } from '../../../test/support/postgres.js';
import { startRedis } from '../../../test/support/redis.js';
import { waitFor } from '../../../test/support/server.js';
import {
  type DeliveryStatusBody,
  type DemoServer,
  HOOK_SECRET,
  PUBLIC_URL,
  type Received,
  type Receiver,
  sleep,
  startDemo,
  startReceiver,
  validSignature,
} from './delivery-support.js';

interface PushedFeed {
  version: string;
  title: string;
  feed_url: string;
  items: { id: string; url: string; title: string; _tidings: { edited: boolean; first_seen: string } }[];
  _tidings: { delivery: string; feed: string; new: number; edited: number };
}

const pushed = (request: Received) => JSON.parse(request.body.toString('utf8')) as PushedFeed;

describe('webhook pushes from the demo source', () => {
  const running: (DemoServer | Receiver)[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((each) => ('dispose' in each ? each.dispose() : each.close())));
  });

  async function demoWith(entry: Record<string, unknown>, delivery = {}) {
    const demo = await startDemo(
      [{ secret: '${TIDINGS_HOOK_SECRET}', allowPrivateNetwork: true, ...entry }],
      {
        backoff: '1s',
        timeout: '2s',
        ...delivery,
      },
    );
    running.push(demo);
    return demo;
  }
  const statusOf = async (demo: DemoServer): Promise<DeliveryStatusBody> => {
    const [status] = (await demo.health()).deliveries;
    if (!status) throw new Error('no delivery status');
    return status;
  };

  it('gets each of the 37 articles once, signed, on the first start; nothing again when nothing is new', async () => {
    const receiver = await startReceiver();
    running.push(receiver);
    const demo = await demoWith({ webhook: `${receiver.origin}/hooks/${'t0ken'.repeat(4)}` });
    const status = await waitFor(async () => {
      const each = await statusOf(demo);
      return each.delivered > 0 && each.pending === 0 ? each : undefined;
    }, 20_000);

    expect(receiver.received.length).toBeGreaterThan(0);
    const ids: string[] = [];
    for (const request of receiver.received) {
      expect(request.path).toBe(`/hooks/${'t0ken'.repeat(4)}`);
      expect(validSignature(request)).toBe(true);
      expect(validSignature(request, `${HOOK_SECRET}x`)).toBe(false);
      expect(request.headers['content-type']).toBe('application/feed+json');
      const body = pushed(request);
      expect(request.headers['idempotency-key']).toBe(body._tidings.delivery);
      expect(request.headers['x-tidings-delivery']).toBe(body._tidings.delivery);
      expect(body.version).toBe('https://jsonfeed.org/version/1.1');
      expect(body.feed_url).toBe(`${PUBLIC_URL}/feeds/demo.json`);
      expect(body._tidings).toMatchObject({ feed: 'demo', edited: 0, new: body.items.length });
      for (const item of body.items) expect(item._tidings.edited).toBe(false);
      ids.push(...body.items.map((item) => item.id));
    }
    expect(ids).toHaveLength(37);
    expect(new Set(ids).size).toBe(37);
    const feed = (await (await fetch(`${demo.url}/feeds/demo.json`)).json()) as { items: { id: string }[] };
    expect(new Set(ids)).toEqual(new Set(feed.items.map((item) => item.id)));

    expect(status).toMatchObject({
      feed: 'demo',
      kind: 'webhook',
      target: `${receiver.origin}/…`,
      pending: 0,
      failed: 0,
      delivered: receiver.received.length,
      lastError: null,
      consecutiveFailures: 0,
    });
    expect(status.id).toMatch(/^demo:webhook:[0-9a-f]{8}$/);
    const health = JSON.stringify(await demo.health());
    expect(health).not.toContain(HOOK_SECRET);
    expect(health).not.toContain('t0ken');
    const metrics = await demo.metrics();
    expect(metrics).toContain(`tidings_deliveries_total{destination="${status.id}",result="delivered"} 1`);
    expect(metrics).toContain(`tidings_outbox_pending{destination="${status.id}"} 0`);

    const before = receiver.received.length;
    await demo.server.refresh('demo');
    await sleep(1500);
    expect(receiver.received.length).toBe(before);
  });

  it('retries a 503 after the backoff and a 429 after its Retry-After, under one key, then delivers', async () => {
    const answers = [503, 429, 200];
    const receiver = await startReceiver((_request, response) => {
      const status = answers.shift() ?? 200;
      response.writeHead(status, status === 429 ? { 'Retry-After': '2' } : {}).end();
    });
    running.push(receiver);
    const demo = await demoWith({ webhook: `${receiver.origin}/hook` }, { attempts: 5 });
    const status = await waitFor(async () => {
      const each = await statusOf(demo);
      return each.delivered === 1 ? each : undefined;
    }, 20_000);
    const [first, second, third] = receiver.received;
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((each) => each.headers['idempotency-key'])).size).toBe(1);
    expect(receiver.received.every((each) => validSignature(each))).toBe(true);
    expect(second!.body.equals(first!.body)).toBe(true);
    // Backoff 1 s, half of it jitter: at least 0.5 s; the 429 asked for 2 s.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(450);
    expect(third!.at - second!.at).toBeGreaterThanOrEqual(1950);
    expect(status).toMatchObject({ pending: 0, failed: 0, consecutiveFailures: 0 });
    expect(status.lastError).toBe(`HTTP 429 from ${receiver.origin}/…`);
    const metrics = await demo.metrics();
    expect(metrics).toContain(`tidings_deliveries_total{destination="${status.id}",result="retry"} 2`);
  });

  it('gives up after the configured attempts and keeps the entry as failed, with the last error', async () => {
    const receiver = await startReceiver((_, response) => {
      response.writeHead(500).end('boom');
    });
    running.push(receiver);
    const demo = await demoWith({ webhook: `${receiver.origin}/hook` }, { attempts: 3 });
    const status = await waitFor(async () => {
      const each = await statusOf(demo);
      return each.failed === 1 ? each : undefined;
    }, 20_000);
    expect(status).toMatchObject({
      pending: 0,
      delivered: 0,
      lastError: `HTTP 500 from ${receiver.origin}/…`,
      consecutiveFailures: 3,
      lastSuccessAt: null,
    });
    await sleep(2500);
    expect(receiver.received).toHaveLength(3);
    expect(await demo.metrics()).toContain(
      `tidings_deliveries_total{destination="${status.id}",result="failed"} 1`,
    );
  });

  it('gives up at once on 410 Gone', async () => {
    const receiver = await startReceiver((_, response) => {
      response.writeHead(410).end();
    });
    running.push(receiver);
    const demo = await demoWith({ webhook: `${receiver.origin}/hook` }, { attempts: 5 });
    const status = await waitFor(async () => {
      const each = await statusOf(demo);
      return each.failed === 1 ? each : undefined;
    }, 20_000);
    expect(status.lastError).toContain('HTTP 410 Gone');
    await sleep(1500);
    expect(receiver.received).toHaveLength(1);
  });

  it('delivers the same way with the store in Redis (entries written by the fenced write script)', async () => {
    const redis = await startRedis();
    try {
      const receiver = await startReceiver();
      running.push(receiver);
      const demo = await startDemo(
        [{ webhook: `${receiver.origin}/hook`, secret: '${TIDINGS_HOOK_SECRET}', allowPrivateNetwork: true }],
        { backoff: '1s', timeout: '2s' },
        (document) => document.set('store', redis.url),
      );
      running.push(demo);
      await waitFor(async () => {
        const [each] = (await demo.health()).deliveries;
        return each && each.delivered > 0 && each.pending === 0 ? each : undefined;
      }, 20_000);
      const ids = receiver.received.flatMap((request) => pushed(request).items.map((item) => item.id));
      expect(ids).toHaveLength(37);
      expect(new Set(ids).size).toBe(37);
      expect(receiver.received.every((request) => validSignature(request))).toBe(true);
      await demo.dispose();
      running.splice(running.indexOf(demo), 1);
    } finally {
      await redis.stop();
    }
  });

  it('delivers each of the 37 articles once with the store in PostgreSQL (entries written in the articles’ transaction)', async () => {
    const postgres = await startPostgres();
    try {
      const receiver = await startReceiver();
      running.push(receiver);
      const url = await postgres.createDatabase();
      const demo = await startDemo(
        [{ webhook: `${receiver.origin}/hook`, secret: '${TIDINGS_HOOK_SECRET}', allowPrivateNetwork: true }],
        { backoff: '1s', timeout: '2s' },
        (document) => document.set('store', url),
      );
      running.push(demo);
      await waitFor(async () => {
        const [each] = (await demo.health()).deliveries;
        return each && each.delivered > 0 && each.pending === 0 ? each : undefined;
      }, 20_000);
      const ids = receiver.received.flatMap((request) => pushed(request).items.map((item) => item.id));
      expect(ids).toHaveLength(37);
      expect(new Set(ids).size).toBe(37);
      expect(receiver.received.every((request) => validSignature(request))).toBe(true);
      const keys = receiver.received.map((request) => request.headers['idempotency-key']);
      expect(new Set(keys).size).toBe(keys.length);
      expect(
        await postgres.query('SELECT count(*)::int AS count FROM outbox', [], url),
        'the outbox is empty once all is delivered',
      ).toEqual([{ count: 0 }]);
      await demo.server.refresh('demo');
      await sleep(1500);
      expect(receiver.received.flatMap((request) => pushed(request).items)).toHaveLength(37);
      await demo.dispose();
      running.splice(running.indexOf(demo), 1);
    } finally {
      await postgres.stop();
    }
  });

  it("pushes a derived feed's articles only: those its filter keeps", async () => {
    const receiver = await startReceiver();
    running.push(receiver);
    const demo = await startDemo([], { backoff: '1s', timeout: '2s' }, (document) => {
      document.set(
        'feeds',
        document.createNode([
          {
            id: 'demo-daxue',
            source: 'demo',
            include: ['大学'],
            notify: [
              {
                webhook: `${receiver.origin}/daxue`,
                secret: '${TIDINGS_HOOK_SECRET}',
                allowPrivateNetwork: true,
              },
            ],
          },
        ]),
      );
    });
    running.push(demo);
    const status = await waitFor(async () => {
      const [each] = (await demo.health()).deliveries;
      return each && each.delivered > 0 && each.pending === 0 ? each : undefined;
    }, 20_000);
    expect(status).toMatchObject({ feed: 'demo-daxue', kind: 'webhook' });
    const bodies = receiver.received.map(pushed);
    const ids = bodies.flatMap((body) => body.items.map((item) => item.id));
    const feed = (await (await fetch(`${demo.url}/feeds/demo-daxue.json`)).json()) as {
      items: { id: string }[];
    };
    expect(feed.items.length).toBeGreaterThan(0);
    expect(feed.items.length).toBeLessThan(37);
    expect(ids.sort()).toEqual(feed.items.map((item) => item.id).sort());
    for (const body of bodies) {
      expect(body.feed_url).toBe(`${PUBLIC_URL}/feeds/demo-daxue.json`);
      expect(body._tidings.feed).toBe('demo-daxue');
    }
  });

  it('refuses a private-network target without allowPrivateNetwork: a literal loopback address and a name resolving to one', async () => {
    const receiver = await startReceiver();
    running.push(receiver);
    const port = new URL(receiver.origin).port;
    const demo = await startDemo(
      [
        { webhook: `http://127.0.0.1:${port}/literal`, secret: '${TIDINGS_HOOK_SECRET}' },
        { webhook: `http://localhost:${port}/named`, secret: '${TIDINGS_HOOK_SECRET}' },
      ],
      { backoff: '1s', timeout: '2s', attempts: 2 },
    );
    running.push(demo);
    const statuses = await waitFor(async () => {
      const { deliveries } = await demo.health();
      return deliveries.every((each) => each.failed === 1) ? deliveries : undefined;
    }, 20_000);
    expect(statuses.map((each) => each.lastError)).toEqual([
      'refused: 127.0.0.1 is a loopback address; set allowPrivateNetwork: true on this notify entry to allow it',
      expect.stringMatching(
        /^refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address; set allowPrivateNetwork: true/,
      ),
    ]);
    expect(receiver.received).toEqual([]);
  });
});
