import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, loadConfig, startServer, type TidingsServer } from '@tidings/server';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface FeedItem {
  url: string;
  title: string;
}

interface Watched {
  page: Page;
  /** Console errors and uncaught exceptions. */
  errors: string[];
  /** Content-Security-Policy violations the page reported. */
  violations: () => Promise<string[]>;
}

describe('/feeds/demo in real Chromium', () => {
  let server: TidingsServer;
  let dataDir: string;
  let browser: Browser;
  let context: BrowserContext;
  let demo: FeedItem[];
  /** The demo feed's title, as its JSON Feed gives it. */
  let title: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tidings-feed-page-'));
    const config = loadConfig({ env: { PORT: '3000', TIDINGS_DATA_DIR: dataDir } });
    server = await startServer(
      { ...config, port: 0 },
      { logger: createLogger('silent'), schedule: false, host: '127.0.0.1' },
    );
    await server.refresh('demo');
    const feed = (await (await fetch(`${server.url}/feeds/demo.json`)).json()) as {
      title: string;
      items: FeedItem[];
    };
    demo = feed.items;
    title = feed.title;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    context = await browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function open(path: string, on: BrowserContext = context): Promise<Watched> {
    const page = await on.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as { __violations?: string[] }).__violations = seen;
      document.addEventListener('securitypolicyviolation', (event) =>
        seen.push(`${event.violatedDirective} ${event.blockedURI}`),
      );
    });
    await page.goto(server.url + path);
    return {
      page,
      errors,
      violations: () => page.evaluate(() => (window as { __violations?: string[] }).__violations ?? []),
    };
  }

  it('shows the 37 demo items, linked to their articles, with no console error or CSP violation', async () => {
    const { page, errors, violations } = await open('/feeds/demo');
    const items = await page.$$eval('.items li', (lis) =>
      lis.map((li) => ({
        title: li.querySelector('h3')?.textContent ?? '',
        href: li.querySelector('h3 a')?.getAttribute('href') ?? null,
        date: li.querySelector('time')?.textContent ?? '',
      })),
    );
    expect(items).toHaveLength(37);
    expect(await page.title()).toBe(`${title} · Tidings`);
    expect(items.map(({ title, href }) => ({ title, url: href }))).toEqual(
      demo.map(({ title, url }) => ({ title, url })),
    );
    for (const { date } of items) expect(date).toMatch(/^2024-\d\d-\d\d( \d\d:\d\d)?$/);
    // The shown links are absolute against the address this page was opened at.
    expect(await page.inputValue('#url-rss')).toBe(`${server.url}/feeds/demo.rss`);
    expect(await page.inputValue('#url-json')).toBe(`${server.url}/feeds/demo.json`);
    // The preview loaded inside the page's CSP.
    await expect.poll(() => page.frameLocator('#preview').locator('li').count()).toBe(10);
    await page.waitForTimeout(300);
    expect(errors).toEqual([]);
    expect(await violations()).toEqual([]);
    await page.close();
  });

  it('copies the RSS URL to the clipboard and says so', async () => {
    const { page, errors, violations } = await open('/feeds/demo');
    await page.click('button[data-copy="url-rss"]');
    await expect.poll(() => page.textContent('#copied-rss')).toBe('已复制 · Copied');
    expect(await page.getAttribute('button[data-copy="url-rss"]', 'data-state')).toBe('copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${server.url}/feeds/demo.rss`);
    await page.click('button[data-copy="url-atom"]');
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe(`${server.url}/feeds/demo.atom`);
    expect(errors).toEqual([]);
    expect(await violations()).toEqual([]);
    await page.close();
  });

  it('without the Clipboard API, selects the URL for Ctrl+C instead', async () => {
    const bare = await browser.newContext();
    await bare.addInitScript(() => Object.defineProperty(navigator, 'clipboard', { value: undefined }));
    const { page, errors } = await open('/feeds/demo', bare);
    await page.click('button[data-copy="url-json"]');
    await expect.poll(() => page.textContent('#copied-json')).toContain('Ctrl+C');
    const selected = await page.evaluate(() => {
      const input = document.activeElement as HTMLInputElement;
      return { id: input.id, text: input.value.slice(input.selectionStart ?? 0, input.selectionEnd ?? 0) };
    });
    expect(selected).toEqual({ id: 'url-json', text: `${server.url}/feeds/demo.json` });
    expect(errors).toEqual([]);
    await bare.close();
  });

  it('keeps the preview and both embed codes in step with the widget options', async () => {
    const { page, errors, violations } = await open('/feeds/demo');
    expect(await page.getAttribute('#preview', 'src')).toBe('/widget/demo?limit=10');
    await page.fill('[name="limit"]', '5');
    await page.selectOption('[name="theme"]', 'dark');
    await page.selectOption('[name="layout"]', 'cards');
    await page.check('[name="summary"]');
    await page.uncheck('[name="date"]');
    const src = '/widget/demo?limit=5&theme=dark&layout=cards&summary=1&date=0';
    await expect.poll(() => page.getAttribute('#preview', 'src')).toBe(src);
    await expect.poll(() => page.frameLocator('#preview').locator('li').count()).toBe(5);
    expect(await page.textContent('#code-iframe')).toBe(
      `<iframe src="${server.url}${src.replaceAll('&', '&amp;')}" title="${title}" style="width: 100%; height: 26rem; border: 0" loading="lazy"></iframe>`,
    );
    expect(await page.textContent('#code-element')).toBe(
      `<script src="${server.url}/widget.js" async></script>
<tidings-feed src="${server.url}/feeds/demo.json" limit="5" theme="dark" layout="cards" show-summary show-date="false">
  <a href="https://jy.tj.gov.cn/JYXW/TJJY/">${title}</a>
</tidings-feed>`,
    );
    await page.click('button[data-copy="code-element"]');
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe(await page.textContent('#code-element'));
    expect(errors).toEqual([]);
    expect(await violations()).toEqual([]);
    await page.close();
  });

  it('is linked from the index page', async () => {
    const { page, errors, violations } = await open('/');
    const link = page.locator('h2 a[href="/feeds/demo"]');
    expect(await link.count()).toBe(1);
    await link.click();
    await page.waitForURL(`${server.url}/feeds/demo`);
    expect(await page.textContent('h1')).toBe(title);
    expect(errors).toEqual([]);
    expect(await violations()).toEqual([]);
    await page.close();
  });
});
