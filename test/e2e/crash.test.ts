import { type ChildProcess, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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
