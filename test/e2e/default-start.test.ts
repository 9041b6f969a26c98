import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, spawnServerProcess, waitFor } from '../support/server.js';

describe('the default start (README command 1): offline demo on the embedded default', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tidings-start-'));
  let stop: (() => Promise<number | null>) | undefined;

  afterAll(async () => {
    await stop?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the 37 demo articles in all three formats and lists them on /', async () => {
    const port = await freePort();
    const child = spawnServerProcess({
      PORT: String(port),
      TIDINGS_DATA_DIR: dataDir,
      TIDINGS_CONFIG: '',
      LOG_LEVEL: 'info',
    });
    let logs = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      logs += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      logs += chunk.toString();
    });
    stop = () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      });
    const base = `http://127.0.0.1:${port}`;

    const feeds = await waitFor(async () => {
      const health = (await (await fetch(`${base}/healthz`)).json()) as {
        feeds: { id: string; articles: number; lastSuccessAt: string | null }[];
      };
      const demo = health.feeds.find((feed) => feed.id === 'demo');
      return demo?.lastSuccessAt ? health.feeds : undefined;
    }, 60_000);
    expect(feeds.find((feed) => feed.id === 'demo')?.articles).toBe(37);
    expect(feeds.find((feed) => feed.id === 'tjjy')).toMatchObject({ articles: 0, lastSuccessAt: null });

    const json = (await (await fetch(`${base}/feeds/demo.json`)).json()) as { items: { url: string }[] };
    expect(json.items).toHaveLength(37);
    // Permalinks are the real site's, although every byte came from the bundled snapshot.
    expect(json.items.every((item) => item.url.startsWith('https://jy.tj.gov.cn/JYXW/TJJY/'))).toBe(true);
    expect((await (await fetch(`${base}/feeds/demo.rss`)).text()).match(/<item>/g)).toHaveLength(37);
    expect((await (await fetch(`${base}/feeds/demo.atom`)).text()).match(/<entry/g)).toHaveLength(37);
    const index = await (await fetch(`${base}/`)).text();
    expect(index).toContain('/feeds/demo.rss');
    expect(index).toContain('37 篇');

    // One progress line per source and run, as JSON.
    expect(logs).toMatch(/"source":"demo".*"listed":37.*"msg":"refreshed"/);
    expect(await stop()).toBe(0);
    expect(logs).toContain('"msg":"stopped"');
  });
});
