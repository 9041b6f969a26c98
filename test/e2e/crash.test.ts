import { type ChildProcess, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../support/fixtures.js';
import { freePort, spawnServerProcess, waitFor } from '../support/server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SECTION = 'https://jy.tj.gov.cn/JYXW/TJJY/';

interface ReadonlyDb {
  prepare(sql: string): { all(...params: unknown[]): unknown[]; get(...params: unknown[]): unknown };
  pragma(sql: string, options?: { simple: boolean }): unknown;
  close(): void;
}
// The server's own SQLite driver, borrowed from its package (not a dependency of the tests).
const Database = createRequire(join(ROOT, 'apps/server/package.json'))('better-sqlite3') as new (
  path: string,
  options: { readonly: boolean; fileMustExist: boolean },
) => ReadonlyDb;

interface Running {
  child: ChildProcess;
  /** Everything the process wrote so far (pino JSON lines on stdout, anything on stderr). */
  logs(): string;
  /** Resolves with the server's URL once it logs "listening". */
  listening: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function boot(configFile: string, dataDir: string, port: number): Running {
  const child = spawnServerProcess({
    PORT: String(port),
    TIDINGS_DATA_DIR: dataDir,
    TIDINGS_CONFIG: configFile,
    LOG_LEVEL: 'info',
  });
  let logs = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      logs += chunk.toString();
      const url = /"url":"(http:\/\/[^"]+)"[^\n]*"msg":"listening"/.exec(logs)?.[1];
      if (url) resolve(url);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      logs += chunk.toString();
    });
    exited.then(({ code, signal }) =>
      reject(new Error(`exited (${code ?? signal}) before listening:\n${logs}`)),
    );
  });
  listening.catch(() => {});
  return { child, logs: () => logs, listening, exited };
}

const refreshed = (logs: string) => /"source":"tjjy"[^\n]*"msg":"refreshed"/.test(logs);

describe('crash safety: the real server process, killed with SIGKILL during its boot refresh', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-crash-'));
  const site = join(dir, 'site');
  const dataDir = join(dir, 'data');
  const configFile = join(dir, 'tidings.yaml');
  const section = join(site, 'JYXW/TJJY');
  const dbFile = join(dataDir, 'tidings.db');
  const running = new Set<ChildProcess>();
  /** Items whose title each round changes, on the listing and on the article page: file → current title. */
  const retitled = new Map<string, string>();
  const baseTitles = new Map<string, string>();

  const start = async (): Promise<Running> => {
    const server = boot(configFile, dataDir, await freePort());
    running.add(server.child);
    server.exited.then(() => running.delete(server.child));
    return server;
  };

  /** Opens the database the way a recovering reader would, right after the crash. */
  const readDb = () => {
    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    try {
      const integrity = db.pragma('integrity_check', { simple: true });
      const rows = db
        .prepare("SELECT id, json_extract(article, '$.title') AS title FROM articles WHERE source_id = ?")
        .all('tjjy') as { id: string; title: string }[];
      return { integrity, titles: new Map(rows.map((row) => [row.id, row.title])) };
    } finally {
      db.close();
    }
  };

  /** Round n of changes: one new item first on page 1 and new titles for four items, so a refresh must write. */
  const changeSite = (round: number) => {
    const indexFile = join(section, 'index.html');
    let index = readFileSync(indexFile, 'utf8');
    const file = `202412/t20241205_67972${String(round).padStart(2, '0')}.html`;
    const title = `崩溃测试新闻第${round}条`;
    const list = '<ul class="common-list-right-list">';
    index = index.replace(
      list,
      `${list}
      <li>
        <span class="list-dot">·</span>
        <a href="javascript:void(0);" onclick="isDownLoad(this,'./${file}')" title="${title}">
          <p class="list-content">${title}</p>
        </a>
        <p class="list-date">2024-12-05</p>
      </li>`,
    );
    writeFileSync(
      join(section, file),
      readFileSync(join(FIXTURES, 'jy.tj.gov.cn/JYXW/TJJY/202412/t20241204_6797100.html'), 'utf8')
        .replaceAll('我市基础教育扩优提质高质量发展', title)
        .replace('2024-12-04 09:00', `2024-12-05 08:${String(round).padStart(2, '0')}`),
    );
    for (const [page, old] of retitled) {
      const next = `${baseTitles.get(page)}（第${round}版）`;
      index = index.replaceAll(old, next);
      const articleFile = join(section, page);
      writeFileSync(articleFile, readFileSync(articleFile, 'utf8').replaceAll(old, next));
      retitled.set(page, next);
    }
    writeFileSync(indexFile, index);
    return { id: SECTION + file, title };
  };

  beforeAll(() => {
    cpSync(join(FIXTURES, 'jy.tj.gov.cn'), site, { recursive: true });
    mkdirSync(dataDir);
    writeFileSync(
      configFile,
      [
        'sources:',
        '  - id: tjjy',
        `    url: ${SECTION}`,
        '    snapshot: ./site',
        '    pages: 3',
        '    refresh: 1h',
        '    fullText: true',
        '    allowPrivateNetwork: true',
        '',
      ].join('\n'),
    );
    const index = readFileSync(join(section, 'index.html'), 'utf8');
    const items = [...index.matchAll(/isDownLoad\(this,'\.\/([^']+)'\)" title="([^"]+)"/g)];
    for (const [, page, title] of items.slice(1, 5)) {
      retitled.set(page as string, title as string);
      baseTitles.set(page as string, title as string);
    }
    expect(retitled.size).toBe(4);
  });

  afterAll(async () => {
    for (const child of running) {
      child.kill('SIGKILL');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    rmSync(dir, { recursive: true, force: true });
  });

  let before: Map<string, string>;

  it('first boot: 37 articles, then a clean SIGTERM stop', async () => {
    const server = await start();
    const url = await server.listening;
    await waitFor(async () => {
      const health = (await (await fetch(`${url}/healthz`)).json()) as {
        feeds: { id: string; articles: number; lastSuccessAt: string | null }[];
      };
      const feed = health.feeds.find((status) => status.id === 'tjjy');
      return feed?.lastSuccessAt && feed.articles === 37 ? feed : undefined;
    }, 30_000);
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    const db = readDb();
    expect(db.integrity).toBe('ok');
    expect(db.titles.size).toBe(37);
    before = db.titles;
  });

  const delays = [0, 20, 50, 100, 200, 'after-refreshed'] as const;
  const landed: string[] = [];

  it.each(delays.map((delay, round) => [delay, round + 1] as const))(
    'SIGKILL %s ms after listening (round %i): the database opens, is intact, loses nothing',
    async (delay, round) => {
      const change = changeSite(round);
      const server = await start();
      await server.listening;
      if (delay === 'after-refreshed')
        await waitFor(async () => refreshed(server.logs()) || undefined, 30_000);
      else if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      const finished = refreshed(server.logs());
      server.child.kill('SIGKILL');
      expect(await server.exited).toEqual({ code: null, signal: 'SIGKILL' });
      landed.push(finished ? 'after' : 'before');

      // Killed with its WAL open: the next reader must recover from it.
      expect(existsSync(`${dbFile}-wal`)).toBe(true);
      const db = readDb();
      expect(db.integrity).toBe('ok');
      for (const id of before.keys()) expect(db.titles.has(id), id).toBe(true);
      expect(db.titles.size).toBeGreaterThanOrEqual(before.size);

      // The refresh's upsert is one transaction: all of this round's changes are there, or none.
      const applied = [
        db.titles.get(change.id) === change.title,
        ...[...retitled].map(([page, title]) => db.titles.get(SECTION + page) === title),
      ];
      expect(new Set(applied).size, `partly applied: ${applied}`).toBe(1);
      // A refresh that logged "refreshed" had committed: a SIGKILL must not lose it.
      if (finished) expect(applied[0]).toBe(true);
      before = db.titles;
    },
  );

  it('kills landed before and after the boot refresh finished', () => {
    expect(landed).toContain('before');
    expect(landed).toContain('after');
  });

  it('starts again after the crashes: healthy, with valid JSON and RSS feeds', async () => {
    const server = await start();
    const url = await server.listening;
    await waitFor(async () => refreshed(server.logs()) || undefined, 30_000);
    const health = (await (await fetch(`${url}/healthz`)).json()) as {
      feeds: { id: string; articles: number; lastError: string | null; consecutiveFailures: number }[];
    };
    const status = health.feeds.find((feed) => feed.id === 'tjjy');
    expect(status).toMatchObject({ lastError: null, consecutiveFailures: 0 });
    expect(status?.articles).toBeGreaterThanOrEqual(37 + delays.length);

    const json = JSON.parse(await (await fetch(`${url}/feeds/tjjy.json`)).text()) as {
      items: { id: string; title: string }[];
    };
    expect(json.items.length).toBeGreaterThanOrEqual(37);
    const ids = new Set(json.items.map((item) => item.id));
    for (const id of before.keys()) expect(ids.has(id), id).toBe(true);
    for (const [page, title] of retitled) {
      expect(json.items.find((item) => item.id === SECTION + page)?.title).toBe(title);
    }

    const rss = await (await fetch(`${url}/feeds/tjjy.rss`)).text();
    const lint = spawnSync('xmllint', ['--noout', '-'], { input: rss, encoding: 'utf8' });
    expect(lint.stderr).toBe('');
    expect(lint.status).toBe(0);
    expect(rss.match(/<item>/g)?.length).toBeGreaterThanOrEqual(37);

    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(readDb().integrity).toBe('ok');
  });
});

describe('crash safety of pushes: the outbox survives SIGKILL mid-delivery', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-crash-push-'));
  const site = join(dir, 'site');
  const section = join(site, 'JYXW/TJJY');
  const dataDir = join(dir, 'data');
  const configFile = join(dir, 'tidings.yaml');
  const dbFile = join(dataDir, 'tidings.db');
  const SECRET = 'crash-test-secret-0123456789abcdef';
  const PATHS = ['/a', '/b', '/c'];
  const running = new Set<ChildProcess>();

  /** What the receiver does with each POST: hold it unanswered (slow), answer 503, or answer 200. */
  let mode: 'hold' | 'fail' | 'ok' = 'hold';
  interface Arrival {
    path: string;
    key: string;
    body: { items: { id: string; title: string; _tidings: { edited: boolean } }[] };
    signed: boolean;
    answered: 'held' | 503 | 200;
    phase: number;
  }
  const arrivals: Arrival[] = [];
  let phase = 1;
  const receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const arrival: Arrival = {
        path: request.url ?? '',
        key: String(request.headers['idempotency-key']),
        body: JSON.parse(raw.toString('utf8')) as Arrival['body'],
        signed:
          request.headers['x-tidings-signature'] ===
          `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`,
        answered: mode === 'hold' ? 'held' : mode === 'fail' ? 503 : 200,
        phase,
      };
      arrivals.push(arrival);
      if (mode === 'fail') response.writeHead(503).end();
      else if (mode === 'ok') setTimeout(() => response.writeHead(200).end(), 50);
      // 'hold': never answered; the socket dies with the server.
    });
  });

  const start = async (): Promise<Running> => {
    const server = boot(configFile, dataDir, await freePort());
    running.add(server.child);
    server.exited.then(() => running.delete(server.child));
    return server;
  };
  const kill = async (server: Running) => {
    server.child.kill('SIGKILL');
    expect(await server.exited).toEqual({ code: null, signal: 'SIGKILL' });
  };
  const outboxRows = () => {
    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT key, destination, state FROM outbox ORDER BY seq').all() as {
        key: string;
        destination: string;
        state: string;
      }[];
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    cpSync(join(FIXTURES, 'jy.tj.gov.cn'), site, { recursive: true });
    mkdirSync(dataDir);
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    writeFileSync(
      configFile,
      [
        'delivery: { backoff: 1s, timeout: 5s, attempts: 50 }',
        'sources:',
        '  - id: pushed',
        `    url: ${SECTION}`,
        '    snapshot: ./site',
        '    pages: 3',
        '    refresh: 1h',
        '    allowPrivateNetwork: true',
        '    notify:',
        ...PATHS.flatMap((path) => [
          `      - webhook: ${origin}${path}`,
          `        secret: ${SECRET}`,
          '        allowPrivateNetwork: true',
        ]),
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    for (const child of running) child.kill('SIGKILL');
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const inFlightAtKills = new Set<string>();
  let newItem = '';

  it('first start: every destination gets its push; killed while the receiver holds them, the outbox keeps them', async () => {
    const server = await start();
    await server.listening;
    await waitFor(async () => (arrivals.length >= PATHS.length ? true : undefined), 30_000);
    await kill(server);
    const held = arrivals.filter((each) => each.answered === 'held');
    expect(held.map((each) => each.path).sort()).toEqual(PATHS);
    for (const arrival of held) {
      expect(arrival.signed).toBe(true);
      expect(arrival.body.items).toHaveLength(37);
      inFlightAtKills.add(arrival.key);
    }
    const rows = outboxRows();
    expect(new Set(rows.map((row) => row.key))).toEqual(inFlightAtKills);
    expect(rows.every((row) => row.state === 'sending')).toBe(true);
  });

  it('restart with a failing receiver and a new article: the held pushes come again under their keys, the new ones are queued; killed during the backoff', async () => {
    phase = 2;
    mode = 'fail';
    // One new article: the boot refresh queues a push of it to each destination.
    const indexFile = join(section, 'index.html');
    let index = readFileSync(indexFile, 'utf8');
    const file = '202412/t20241205_6797999.html';
    const title = '推送崩溃测试新闻';
    newItem = SECTION + file;
    const list = '<ul class="common-list-right-list">';
    index = index.replace(
      list,
      `${list}
      <li>
        <span class="list-dot">·</span>
        <a href="javascript:void(0);" onclick="isDownLoad(this,'./${file}')" title="${title}">
          <p class="list-content">${title}</p>
        </a>
        <p class="list-date">2024-12-05</p>
      </li>`,
    );
    writeFileSync(indexFile, index);
    writeFileSync(
      join(section, file),
      readFileSync(join(FIXTURES, 'jy.tj.gov.cn/JYXW/TJJY/202412/t20241204_6797100.html'), 'utf8').replaceAll(
        '我市基础教育扩优提质高质量发展',
        title,
      ),
    );

    const server = await start();
    await server.listening;
    const fresh = () => arrivals.filter((each) => each.phase === 2 && !inFlightAtKills.has(each.key));
    await waitFor(async () => {
      const again = arrivals.filter((each) => each.phase === 2 && inFlightAtKills.has(each.key));
      return again.length >= PATHS.length && fresh().length >= PATHS.length ? true : undefined;
    }, 30_000);
    await kill(server);
    for (const arrival of fresh()) {
      expect(arrival.body.items.map((item) => item.id)).toContain(newItem);
      inFlightAtKills.add(arrival.key); // answered 503: due again later, under the same key
    }
    const pending = outboxRows();
    expect(pending).toHaveLength(PATHS.length * 2);
    expect(new Set(pending.map((row) => row.key))).toEqual(inFlightAtKills);
  });

  it('restart with a working receiver: nothing lost, each push delivered once, repeats only under first keys', async () => {
    phase = 3;
    mode = 'ok';
    const server = await start();
    const url = await server.listening;
    const deliveries = await waitFor(async () => {
      const health = (await (await fetch(`${url}/healthz`)).json()) as {
        deliveries: { pending: number; delivered: number; failed: number; lastError: string | null }[];
      };
      return health.deliveries.length === PATHS.length &&
        health.deliveries.every((each) => each.pending === 0 && each.delivered === 2)
        ? health.deliveries
        : undefined;
    }, 30_000);
    expect(deliveries.every((each) => each.failed === 0)).toBe(true);
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(outboxRows()).toEqual([]);

    // Every key ever sent was written before the first kill or by the second start, and each was
    // answered 200 exactly once; every other arrival of it was a repeat: in flight at a kill, or
    // after a 503.
    const byKey = new Map<string, Arrival[]>();
    for (const arrival of arrivals) byKey.set(arrival.key, [...(byKey.get(arrival.key) ?? []), arrival]);
    expect(new Set(byKey.keys())).toEqual(inFlightAtKills);
    for (const [key, each] of byKey) {
      expect(
        each.filter((arrival) => arrival.answered === 200),
        key,
      ).toHaveLength(1);
      expect(new Set(each.map((arrival) => JSON.stringify(arrival.body.items))).size, key).toBe(1);
      expect(new Set(each.map((arrival) => arrival.path)).size, key).toBe(1);
      expect(each.every((arrival) => arrival.signed)).toBe(true);
    }
    // None of the 37 (nor the new one) lost, at any destination.
    for (const path of PATHS) {
      const ok = arrivals.filter((each) => each.path === path && each.answered === 200);
      const ids = ok.flatMap((each) => each.body.items.map((item) => item.id));
      expect(new Set(ids).size).toBe(38);
      expect(ids).toContain(newItem);
    }
  });
});
