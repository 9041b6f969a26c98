import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createLogger, loadConfig, startServer, type TidingsServer } from '@tidings/server';
import express from 'express';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WIDGET = join(ROOT, 'packages/widget');

const HOSTILE_TITLES = [
  '<img src=x onerror="window.__pwned=1;alert(1)">图片',
  '<script>window.__pwned=2;alert(2)</script>脚本',
  '"><svg onload=alert(3)>',
];

interface FeedItem {
  url: string;
  title: string;
  date_published: string;
}

/** What zh-CN readers should see for an ISO date: the source's own calendar day. */
function zhDay(iso: string): string {
  const [year, month, day] = iso.slice(0, 10).split('-').map(Number) as [number, number, number];
  return `${year}年${month}月${day}日`;
}

describe('<tidings-feed> in real Chromium, against the running server', () => {
  let server: TidingsServer;
  let dataDir: string;
  let pages: import('node:http').Server;
  let pageOrigin: string;
  let browser: Browser;
  let demo: FeedItem[];

  beforeAll(async () => {
    // The embed script exactly as the server serves it, built from the current sources.
    execFileSync('npx', ['tsup'], { cwd: WIDGET, stdio: 'ignore' });
    dataDir = mkdtempSync(join(tmpdir(), 'tidings-browser-'));
    const config = loadConfig({ env: { PORT: '3000', TIDINGS_DATA_DIR: dataDir } });
    server = await startServer(
      { ...config, port: 0 },
      { logger: createLogger('silent'), schedule: false, host: '127.0.0.1' },
    );
    await server.refresh('demo');
    demo = ((await (await fetch(`${server.url}/feeds/demo.json`)).json()) as { items: FeedItem[] }).items;

    // The embedding site: another origin, so the feed is read over CORS as it would be.
    const app = express();
    app.get('/favicon.ico', (_request, response) => {
      response.status(204).end();
    });
    app.get('/hostile.json', (_request, response) => {
      response.set('Access-Control-Allow-Origin', '*').json({
        version: 'https://jsonfeed.org/version/1.1',
        title: 'hostile',
        home_page_url: 'https://example.org/',
        items: HOSTILE_TITLES.map((title, i) => ({
          id: `h${i}`,
          url: i === 2 ? 'javascript:alert(4)' : `https://example.org/${i}`,
          title,
          summary: title,
          image: 'javascript:alert(5)',
          date_published: '2024-12-04T09:00:00+08:00',
        })),
      });
    });
    app.get('/page', (request, response) => {
      response.type('html').send(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>
<script src="${server.url}/widget.js" async></script>
${String(request.query.body ?? '')}
</body></html>`);
    });
    pages = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => pages.once('listening', () => resolve()));
    pageOrigin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    pages?.close();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function open(body: string): Promise<{ page: Page; dialogs: string[]; errors: string[] }> {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    const errors: string[] = [];
    page.on('dialog', async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(`${pageOrigin}/page?body=${encodeURIComponent(body)}`);
    return { page, dialogs, errors };
  }

  /** Items as a reader sees them, from inside the shadow root. */
  function shownItems(page: Page, selector: string) {
    return page
      .waitForFunction(
        (sel) => {
          const root = document.querySelector(sel)?.shadowRoot;
          const items = root ? [...root.querySelectorAll('[part~="item"]')] : [];
          if (items.length === 0) return undefined;
          return items.map((item) => ({
            title: item.querySelector('[part~="link"], [part~="title"]')?.textContent ?? '',
            href: item.querySelector('a')?.getAttribute('href') ?? null,
            date: item.querySelector('[part~="date"]')?.textContent ?? null,
          }));
        },
        selector,
        { timeout: 15_000 },
      )
      .then(
        (handle) =>
          handle.jsonValue() as Promise<{ title: string; href: string | null; date: string | null }[]>,
      );
  }

  it('renders the demo feed: titles, links and zh-CN dates; limit works', async () => {
    const { page, errors } = await open(
      `<tidings-feed id="five" src="${server.url}/feeds/demo.json" limit="5"></tidings-feed>
       <tidings-feed id="three" src="${server.url}/feeds/demo.json" limit="3"></tidings-feed>`,
    );
    const five = await shownItems(page, '#five');
    expect(five).toEqual(
      demo
        .slice(0, 5)
        .map((item) => ({ title: item.title, href: item.url, date: zhDay(item.date_published) })),
    );
    expect(five[0]?.date).toMatch(/^2024年12月\d{1,2}日$/);
    expect(await shownItems(page, '#three')).toHaveLength(3);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('applies the dark theme', async () => {
    const { page } = await open(
      `<tidings-feed id="light" theme="light" src="${server.url}/feeds/demo.json" limit="2"></tidings-feed>
       <tidings-feed id="dark" theme="dark" src="${server.url}/feeds/demo.json" limit="2"></tidings-feed>`,
    );
    await shownItems(page, '#dark');
    const luminance = (selector: string) =>
      page.evaluate((sel) => {
        const [r, g, b] = (
          getComputedStyle(document.querySelector(sel) as Element).backgroundColor.match(/\d+/g) ?? []
        )
          .slice(0, 3)
          .map(Number) as [number, number, number];
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
      }, selector);
    expect(await luminance('#dark')).toBeLessThan(0.25);
    expect(await luminance('#light')).toBeGreaterThan(0.75);
    await page.close();
  });

  it('lets the keyboard reach every link, with a visible focus ring', async () => {
    const { page } = await open(
      `<tidings-feed id="keys" src="${server.url}/feeds/demo.json" limit="4"></tidings-feed>`,
    );
    const items = await shownItems(page, '#keys');
    const reached: string[] = [];
    for (let i = 0; i < items.length; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const active = document.activeElement?.shadowRoot?.activeElement ?? document.activeElement;
        return {
          href: active?.getAttribute('href') ?? null,
          outline: active ? getComputedStyle(active).outlineStyle : 'none',
        };
      });
      if (focused.href) reached.push(focused.href);
      expect(focused.outline).not.toBe('none');
    }
    expect(reached).toEqual(items.map((item) => item.href));
    await page.close();
  });

  it('shows hostile titles as text and runs nothing from the feed', async () => {
    const { page, dialogs, errors } = await open(
      `<tidings-feed id="evil" src="${pageOrigin}/hostile.json" show-summary show-image></tidings-feed>`,
    );
    const items = await shownItems(page, '#evil');
    expect(items.map((item) => item.title)).toEqual(HOSTILE_TITLES);
    // A javascript: link is not a link.
    expect(items[2]?.href).toBeNull();
    await page.waitForTimeout(500);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    const injected = await page.evaluate(() => {
      const root = document.querySelector('#evil')?.shadowRoot;
      return root ? root.querySelectorAll('script, svg, img[src="x"], [onerror], [onload]').length : -1;
    });
    expect(injected).toBe(0);
    await page.close();
  });

  it('says so, with a link to the source page, when the server is down', async () => {
    const closed = express().listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => closed.once('listening', () => resolve()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { page } = await open(
      `<tidings-feed id="down" src="http://127.0.0.1:${port}/feeds/demo.json"><a href="https://jy.tj.gov.cn/JYXW/TJJY/">天津教育</a></tidings-feed>`,
    );
    const alert = await page.waitForFunction(() => {
      const root = document.querySelector('#down')?.shadowRoot;
      const message = root?.querySelector('[role="alert"]');
      return message
        ? { text: message.textContent, href: message.querySelector('a')?.getAttribute('href') }
        : undefined;
    });
    expect(await alert.jsonValue()).toEqual({
      text: expect.stringContaining('无法加载'),
      href: 'https://jy.tj.gov.cn/JYXW/TJJY/',
    });
    await page.close();
  });

  it('refresh() revalidates with the server (a 304) and keeps the items', async () => {
    const notModified = async () => {
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      return Number(
        /tidings_feed_requests_total\{format="json",result="not_modified"\} (\d+)/.exec(metrics)?.[1] ?? 0,
      );
    };
    const { page } = await open(
      `<tidings-feed id="again" src="${server.url}/feeds/demo.json" limit="2"></tidings-feed>`,
    );
    const before = await shownItems(page, '#again');
    const count = await notModified();
    await page.evaluate(() =>
      (document.querySelector('#again') as HTMLElement & { refresh(): Promise<void> }).refresh(),
    );
    expect(await notModified()).toBe(count + 1);
    expect(await shownItems(page, '#again')).toEqual(before);
    await page.close();
  });

  it('the iframe alternative renders the same list with no script', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${server.url}/widget/demo?limit=3&theme=dark`);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
    const links = await page.$$eval('li a', (anchors) =>
      anchors.map((a) => [a.textContent, a.getAttribute('href')]),
    );
    expect(links).toEqual(demo.slice(0, 3).map((item) => [item.title, item.url]));
    expect(await page.$$eval('time', (times) => times.map((time) => time.textContent))).toEqual(
      demo.slice(0, 3).map((item) => zhDay(item.date_published)),
    );
    expect(await page.$$('script')).toHaveLength(0);
    await page.close();
  });

  it('the embed script stays within its 6 KB (gzip) budget', async () => {
    const script = readFileSync(join(WIDGET, 'dist/widget.js'));
    expect(gzipSync(script, { level: 9 }).length).toBeLessThanOrEqual(6 * 1024);
    const served = await fetch(`${server.url}/widget.js`);
    expect(served.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(Buffer.from(await served.arrayBuffer()).equals(script)).toBe(true);
  });
});
