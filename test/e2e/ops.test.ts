import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sectionSource, siteFrom, startTestServer } from '../support/server.js';
import { startUpstream } from '../support/upstream.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function runMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'apps/server/src/main.ts'],
      {
        cwd: ROOT,
        env: { ...process.env, LOG_LEVEL: 'silent', ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

describe('operations', () => {
  it('a bad config stops the server with one line naming the key and the value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tidings-config-'));
    try {
      const file = join(dir, 'tidings.yaml');
      writeFileSync(
        file,
        'sources:\n  - id: demo\n    url: https://jy.tj.gov.cn/JYXW/TJJY/\n    refresh: 5 minutes\n',
      );
      const { code, stderr } = await runMain({ TIDINGS_CONFIG: file, TIDINGS_DATA_DIR: dir, PORT: '0' });
      expect(code).toBe(1);
      expect(stderr).toMatch(/sources\[0\]\.refresh: "5 minutes" is not a duration/);
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a taken port stops the server with a clear message', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, resolve));
    const { port } = blocker.address() as AddressInfo;
    const dir = mkdtempSync(join(tmpdir(), 'tidings-port-'));
    try {
      const { code, stderr } = await runMain({
        PORT: String(port),
        TIDINGS_DATA_DIR: dir,
        TIDINGS_CONFIG: '',
      });
      expect(code).toBe(1);
      expect(stderr).toContain(`Port ${port} is already in use`);
    } finally {
      blocker.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('WebSub: the hub is advertised in feeds and Link headers, and pinged when a feed changes', async () => {
    const pings: string[] = [];
    const hub = createServer((request: IncomingMessage, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on('end', () => {
        pings.push(body);
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
    const hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}/hub`;
    const upstream = await startUpstream();
    const server = await startTestServer(
      { sources: [sectionSource()], hub: hubUrl, publicUrl: 'https://feeds.example.org' },
      { fetcher: { resolveUrl: siteFrom(upstream.origin), perHostDelayMs: 0 } },
    );
    try {
      await server.refresh('tjjy');
      expect(pings).toHaveLength(1);
      const ping = new URLSearchParams(pings[0]);
      expect(ping.get('hub.mode')).toBe('publish');
      expect(ping.getAll('hub.url')).toEqual([
        'https://feeds.example.org/feeds/tjjy.rss',
        'https://feeds.example.org/feeds/tjjy.atom',
        'https://feeds.example.org/feeds/tjjy.json',
      ]);
      const atom = await fetch(`${server.url}/feeds/tjjy.atom`);
      expect(atom.headers.get('link')).toBe(
        `<${hubUrl}>; rel="hub", <https://feeds.example.org/feeds/tjjy.atom>; rel="self"`,
      );
      expect(await atom.text()).toContain(`<link rel="hub" href="${hubUrl}"/>`);
      const json = (await (await fetch(`${server.url}/feeds/tjjy.json`)).json()) as { hubs: unknown };
      expect(json.hubs).toEqual([{ type: 'WebSub', url: hubUrl }]);
      // Nothing changed: no second ping.
      await server.refresh('tjjy');
      expect(pings).toHaveLength(1);
    } finally {
      await server.dispose();
      await upstream.close();
      hub.close();
    }
  });
});

describe('rate limiting', () => {
  it('answers 429 with Retry-After once a client has used its burst, cached feeds included', async () => {
    const server = await startTestServer({
      sources: [sectionSource()],
      rateLimit: { perMinute: 60, burst: 3 },
    });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await fetch(`${server.url}/feeds/tjjy.rss`)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limited = await fetch(`${server.url}/`);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await limited.json()).toMatchObject({ error: 'rate-limited' });
    } finally {
      await server.dispose();
    }
  });

  it('behind a trusted proxy, counts each forwarded client apart', async () => {
    const server = await startTestServer({
      sources: [sectionSource()],
      rateLimit: { perMinute: 60, burst: 2, trustProxy: true },
    });
    try {
      const as = (client: string) =>
        fetch(`${server.url}/feeds/tjjy.rss`, { headers: { 'X-Forwarded-For': `10.9.9.9, ${client}` } }).then(
          (response) => response.status,
        );
      expect([await as('203.0.113.1'), await as('203.0.113.1'), await as('203.0.113.1')]).toEqual([
        200, 200, 429,
      ]);
      expect(await as('203.0.113.2')).toBe(200);
    } finally {
      await server.dispose();
    }
  });

  it('refuses absurdly long URLs with 414 before any route runs', async () => {
    const server = await startTestServer({ sources: [sectionSource()] });
    try {
      const long = await fetch(`${server.url}/feeds/tjjy.json?q=${'x'.repeat(3000)}`);
      expect(long.status).toBe(414);
      expect(await long.json()).toMatchObject({ error: 'uri-too-long' });
      expect((await fetch(`${server.url}/feeds/tjjy.json?q=${'x'.repeat(201)}`)).status).toBe(400);
    } finally {
      await server.dispose();
    }
  });
});

describe('fetch targets', () => {
  it('refuses an article link into a private network for a source that does not allow it', async () => {
    const upstream = await startUpstream();
    const index = join(upstream.root, 'JYXW/TJJY/index.html');
    const list = '<ul class="common-list-right-list">';
    const inside = `${upstream.origin}/JYXW/TJJY/202412/t20241204_6797100.html?private=1`;
    writeFileSync(
      index,
      readFileSync(index, 'utf8').replace(
        list,
        `${list}<li><a href="${inside}" title="内网链接"><p class="list-content">内网链接</p></a><p class="list-date">2024-12-05</p></li>`,
      ),
    );
    // The site itself is mapped to the local copy (a trusted mapping); its links are not.
    const server = await startTestServer(
      { sources: [sectionSource({ fullText: true, allowPrivateNetwork: false })] },
      { fetcher: { resolveUrl: siteFrom(upstream.origin), perHostDelayMs: 0 } },
    );
    try {
      const outcome = await server.refresh('tjjy');
      expect(outcome).toMatchObject({ outcome: 'ok', listed: 16, articlePageErrors: 1 });
      expect(upstream.requests.some((path) => path.includes('private'))).toBe(false);
    } finally {
      await server.dispose();
      await upstream.close();
    }
  });
});
