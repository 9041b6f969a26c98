import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnServerProcess, waitFor } from '../support/server.js';
import { type SharedStore, startPostgresStore, startRedisStore } from '../support/shared-store.js';
import { startUpstream, type Upstream } from '../support/upstream.js';

/**
 * Three real server processes on one config and one real shared store (Redis, or PostgreSQL
 * without any Redis), behind nothing, refreshing a local copy of the site: one fetch per page per
 * interval, the same bytes everywhere, a dead lock holder replaced, a stalled one's late write
 * refused, nothing lost across restarts.
 */
const REFRESH_S = 8;
const LOCK_TTL_S = 2;
const SECTION = '/JYXW/TJJY/';
const PAGES = [SECTION, `${SECTION}index_1.html`, `${SECTION}index_2.html`];

interface Instance {
  child: ChildProcess;
  url: string;
  /** What it logged so far (pino JSON lines). */
  logs(): string;
}

/** A new item on top of the first listing page: the site as it looks after a new article. */
function addItem(upstream: Upstream, file: string, title: string): string {
  const page1 = join(upstream.root, 'JYXW/TJJY/index.html');
  writeFileSync(
    page1,
    readFileSync(page1, 'utf8').replace(
      '<ul class="common-list-right-list">',
      `<ul class="common-list-right-list">
      <li><a href="javascript:void(0);" onclick="isDownLoad(this,'./202412/${file}')" title="${title}"><p class="list-content">${title}</p></a><p class="list-date">2024-12-05</p></li>`,
    ),
  );
  return `${upstream.origin}${SECTION}202412/${file}`;
}

describe.each([
  { name: 'Redis', start: startRedisStore },
  { name: 'PostgreSQL', start: startPostgresStore },
])('several instances sharing $name', ({ start: startStore }) => {
  let store: SharedStore;
  let upstream: Upstream;
  let dir: string;
  let instances: Instance[] = [];

  const start = async (): Promise<Instance> => {
    const port = await freePort();
    const child = spawnServerProcess({
      PORT: String(port),
      TIDINGS_CONFIG: join(dir, 'tidings.yaml'),
      TIDINGS_DATA_DIR: join(dir, `data-${port}`),
      ...store.env,
      LOG_LEVEL: 'warn',
    });
    let logs = '';
    const keep = (chunk: Buffer) => {
      logs += chunk.toString();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const url = `http://127.0.0.1:${port}`;
    await waitFor(async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined), 20_000);
    return { child, url, logs: () => logs };
  };
  const stop = (instance: Instance, signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      if (instance.child.exitCode !== null || instance.child.signalCode !== null) return resolve();
      instance.child.once('exit', () => resolve());
      instance.child.kill(signal);
    });
  const get = (instance: Instance, path: string) => fetch(instance.url + path);
  const articleCount = async (instance: Instance) =>
    ((await (await get(instance, '/healthz')).json()) as { feeds: { articles: number }[] }).feeds[0]
      ?.articles;
  const feedIds = async (instance: Instance) =>
    (
      (await (await get(instance, '/feeds/tjjy.json?limit=500')).json()) as { items: { id: string }[] }
    ).items.map((item) => item.id);
  const fetchesOf = (path: string) => upstream.requests.filter((requested) => requested === path).length;

  /** The instance whose process holds the source's lease, once one does. */
  const leaseHolder = async (): Promise<Instance> => {
    const token = await waitFor(() => store.holder('tjjy'), REFRESH_S * 3000);
    const holder = instances.find((instance) => instance.child.pid === Number(token.split(':')[1]));
    expect(holder, `lease token ${token}`).toBeDefined();
    return holder as Instance;
  };

  beforeAll(async () => {
    store = await startStore();
    upstream = await startUpstream();
    dir = mkdtempSync(join(tmpdir(), 'tidings-scale-'));
    writeFileSync(
      join(dir, 'tidings.yaml'),
      // Behind one public address, as behind a load balancer: self links (and so bytes) agree.
      `publicUrl: https://feeds.example.test
lockTtl: ${LOCK_TTL_S}s
rateLimit: false
sources:
  - id: tjjy
    url: ${upstream.origin}${SECTION}
    pages: 3
    refresh: ${REFRESH_S}s
    fullText: false
    allowPrivateNetwork: true
`,
    );
    instances = await Promise.all([start(), start(), start()]);
  }, 60_000);

  afterAll(async () => {
    for (const instance of instances) instance.child.kill('SIGCONT');
    await Promise.all(instances.map((instance) => stop(instance, 'SIGTERM')));
    await upstream?.close();
    await store?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fetches each listing page once per interval, whichever instance does it', async () => {
    await waitFor(
      async () => ((await articleCount(instances[0] as Instance)) === 37 ? true : undefined),
      15_000,
    );
    // Every instance asked at boot; the others were told "held", then "fresh", for an interval.
    await new Promise((resolve) => setTimeout(resolve, REFRESH_S * 900));
    expect(PAGES.map(fetchesOf)).toEqual([1, 1, 1]);
  }, 30_000);

  it('answers with the same bytes and ETags from every instance', async () => {
    for (const format of ['rss', 'atom', 'json']) {
      const answers = await waitFor(async () => {
        const all = await Promise.all(instances.map((instance) => get(instance, `/feeds/tjjy.${format}`)));
        const bodies = await Promise.all(all.map((answer) => answer.text()));
        return bodies.every((body) => body.includes('我市基础教育扩优提质高质量发展'))
          ? { all, bodies }
          : undefined;
      }, 10_000);
      expect(new Set(answers.bodies).size).toBe(1);
      expect(new Set(answers.all.map((answer) => answer.headers.get('etag'))).size).toBe(1);
    }
  }, 30_000);

  it('replaces a lock holder killed mid-refresh after the lease expires, losing nothing', async () => {
    const before = await feedIds(instances[0] as Instance);
    expect(before).toHaveLength(37);
    // A new article on page 1, and a site slow enough that a refresh outlives the lease's TTL.
    const added = addItem(upstream, 't20241205_6797107.html', '新学期教育工作会议召开');
    upstream.delayMs = 1500;
    const holder = await leaseHolder();
    // Mid-refresh: past page 1, before the write.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await stop(holder, 'SIGKILL');
    const survivors = instances.filter((instance) => instance !== holder);
    const killedAt = Date.now();
    const after = await waitFor(async () => {
      const ids = await feedIds(survivors[0] as Instance);
      return ids.length === 38 ? ids : undefined;
    }, 30_000);
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(LOCK_TTL_S * 1000 - 500);
    expect(after).toEqual(expect.arrayContaining(before));
    expect(after[0]).toBe(added);
    expect(await store.fence('tjjy')).toBeGreaterThanOrEqual(2);
    upstream.delayMs = 0;
    instances = survivors;
  }, 90_000);

  it('keeps every article when all instances restart', async () => {
    const before = await feedIds(instances[0] as Instance);
    await Promise.all(instances.map((instance) => stop(instance, 'SIGTERM')));
    instances = await Promise.all([start(), start(), start()]);
    for (const instance of instances) {
      expect(await articleCount(instance)).toBe(38);
      expect(await feedIds(instance)).toEqual(before);
    }
  }, 60_000);

  it('refuses the late write of a lease holder that stalled mid-refresh while another took over', async () => {
    // Between refreshes, so the next one reads the new page from its start.
    await waitFor(async () => ((await store.holder('tjjy')) === undefined ? true : undefined), 20_000);
    const before = await feedIds(instances[0] as Instance);
    const added = addItem(upstream, 't20241206_6797200.html', '寒假安全教育工作部署');
    upstream.delayMs = 1500;
    const stalled = await leaseHolder();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    // A stall past the lease's TTL: a long GC pause, a frozen VM. Its lease expires unrenewed.
    stalled.child.kill('SIGSTOP');
    const others = instances.filter((instance) => instance !== stalled);
    const after = await waitFor(async () => {
      const ids = await feedIds(others[0] as Instance);
      return ids.length === before.length + 1 ? ids : undefined;
    }, 30_000);
    expect(after[0]).toBe(added);
    const fenceOfTakeover = await store.fence('tjjy');
    // It wakes up and finishes the refresh it was in: the store refuses what it writes.
    stalled.child.kill('SIGCONT');
    const refused = await waitFor(async () => {
      const match = /lost the refresh lease for tjjy \(fence (\d+)\)/.exec(stalled.logs());
      return match ? Number(match[1]) : undefined;
    }, 20_000);
    expect(refused).toBeLessThan(fenceOfTakeover);
    upstream.delayMs = 0;
    for (const instance of instances) expect(await feedIds(instance)).toEqual(after);
  }, 90_000);

  it('keeps serving cached feeds, and says it is degraded, while the store is down', async () => {
    const instance = instances[0] as Instance;
    const before = await get(instance, '/feeds/tjjy.rss');
    const etag = before.headers.get('etag');
    store.kill();
    const after = await get(instance, '/feeds/tjjy.rss');
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).toBe(etag);
    expect(await after.text()).toBe(await before.text());
    // The instance knows once its connection reports the loss (a moment after the kill).
    const health = async () =>
      (await (await get(instance, '/healthz')).json()) as { status: string; store?: string };
    await expect
      .poll(async () => (await health()).status, { timeout: 5_000, interval: 100 })
      .toBe('degraded');
    expect((await health()).store).toMatch(/^unreachable: /);
  }, 30_000);
});
