import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/load.js';
import { createLogger, type Logger } from '../src/logger.js';
import { startServer, type TidingsServer } from '../src/server.js';

export const TOKEN = 'test-admin-token-0123456789abcdef';

/** One item of the local site's listing: `short` is the link text, `full` its title attribute. */
export interface SiteItem {
  n: number;
  short: string;
  full: string;
  date: string;
}

export interface LocalSite {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** The listing's URL: `/news/`. */
  listing: string;
  items: SiteItem[];
  /** Paths requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** Items 1…count, newest first, a day apart. */
export function siteItems(count: number): SiteItem[] {
  return Array.from({ length: count }, (_, index) => {
    const n = count - index;
    const day = String(1 + (n % 28)).padStart(2, '0');
    return { n, short: `通知 ${n}`, full: `关于第 ${n} 期校园活动安排的通知`, date: `2026-11-${day}` };
  });
}

/**
 * A school site no profile knows, on 127.0.0.1: `/news/` lists the items (`ul.news > li`, a link
 * whose text is short and whose title is the full one, a date), `/news/<n>.html` is each one's
 * page. The listing also carries what a picker must never run: a script, an `onerror`, a
 * `javascript:` link, an iframe and a refresh.
 */
export async function startLocalSite(items: SiteItem[] = siteItems(12)): Promise<LocalSite> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push(path);
    if (path === '/news/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return response.end(listingPage(site.items));
    }
    const article = /^\/news\/(\d+)\.html$/.exec(path);
    const item = article && site.items.find((entry) => entry.n === Number(article[1]));
    if (item) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return response.end(articlePage(item));
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const site: LocalSite = {
    origin,
    listing: `${origin}/news/`,
    items,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return site;
}

export function listingPage(items: readonly SiteItem[]): string {
  const rows = items
    .map(
      (item) =>
        `      <li class="row" id="item-${item.n}"><a href="/news/${item.n}.html" title="${item.full}">${item.short}</a> <span class="date">${item.date}</span></li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <meta http-equiv="refresh" content="0; url=javascript:alert(1)">
  <title>学校新闻</title>
  <script>window.parent.postMessage('ran', '*'); alert('listing script');</script>
</head>
<body>
  <nav class="top"><a href="/">首页</a> <a href="javascript:alert('nav')">登录</a> <a href="/about.html">关于</a></nav>
  <div id="main" class="column">
    <h1>学校新闻</h1>
    <ul class="news">
${rows}
    </ul>
    <img src="/missing.png" onerror="alert('onerror')" alt="">
    <iframe src="https://example.org/ad"></iframe>
    <form action="https://example.org/steal" method="post"><input name="q"></form>
  </div>
  <footer>版权所有 · 2026</footer>
</body>
</html>
`;
}

export function articlePage(item: SiteItem): string {
  return `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>${item.full}</title></head>
<body>
  <div class="article">
    <h1>${item.full}</h1>
    <p class="meta">发布时间：${item.date} 09:30　作者：校团委</p>
    <div class="content">
      <p>第 ${item.n} 期活动将于下周举行，请各班级做好准备。</p>
      <p>活动地点在学校体育馆，具体安排另行通知。</p>
    </div>
  </div>
</body>
</html>
`;
}

export interface AdminServer {
  server: TidingsServer;
  base: string;
  /** The config file it runs from. */
  file: string;
  logs: string[];
  /** A call to the admin API, with the token unless `token` says otherwise. */
  call(
    method: string,
    path: string,
    body?: unknown,
    token?: string | null,
    // biome-ignore lint/suspicious/noExplicitAny: each test reads the answer by the shape docs/admin-api.md gives it
  ): Promise<{ status: number; headers: Headers; body: any }>;
  dispose(): Promise<void>;
}

/**
 * The real server, in-process on 127.0.0.1, running from `yaml` written to a config file of its
 * own (reloads and admin writes go there), with data in a temporary directory. Unscheduled:
 * changes refresh what they change, nothing else runs by itself.
 */
export async function startAdminServer(
  yaml: string,
  env: NodeJS.ProcessEnv = {},
  options: { watchConfig?: boolean } = {},
): Promise<AdminServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-admin-'));
  const file = join(dir, 'tidings.yaml');
  writeFileSync(file, yaml);
  const logs: string[] = [];
  const logger = recordingLogger(logs);
  const config = { ...loadConfig({ file, env: { ...env, TIDINGS_DATA_DIR: join(dir, 'data') } }), port: 0 };
  const server = await startServer(config, {
    logger,
    schedule: false,
    host: '127.0.0.1',
    env,
    fetcher: { perHostDelayMs: 0, retries: 0 },
    watchConfig: options.watchConfig ?? false,
  });
  const base = server.url.replace('localhost', '127.0.0.1');
  return {
    server,
    base,
    file,
    logs,
    call: async (method, path, body, token = TOKEN) => {
      const response = await fetch(base + path, {
        method,
        headers: {
          ...(token !== null && { authorization: `Bearer ${token}` }),
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        body: text ? JSON.parse(text) : undefined,
      };
    },
    dispose: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A pino logger writing each line into `lines` (to assert what was logged). */
function recordingLogger(lines: string[]): Logger {
  return createLogger('info', {
    write: (line: string) => {
      lines.push(line);
    },
  });
}

/** Polls `check` until it returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`still waiting after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The items of a JSON feed, or undefined while it does not answer 200. */
export async function feedItems(
  base: string,
  id: string,
): Promise<{ title: string; url: string }[] | undefined> {
  const response = await fetch(`${base}/feeds/${id}.json`);
  if (response.status !== 200) return undefined;
  return ((await response.json()) as { items: { title: string; url: string }[] }).items;
}
