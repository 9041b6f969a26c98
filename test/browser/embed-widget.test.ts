import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, loadConfig, startServer, type TidingsServer } from '@tidings/server';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExample } from '../examples/run.js';
import { freePort, waitFor } from '../support/server.js';

/**
 * examples/embed-widget, run by its README's command against a real server, opened in Chromium:
 * both web components and the iframe show the demo feed's newest items.
 */
describe('examples/embed-widget in real Chromium', () => {
  let server: TidingsServer;
  let dataDir: string;
  let example: ReturnType<typeof startExample>;
  let pageUrl: string;
  let browser: Browser;
  let newest: string[];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tidings-embed-'));
    const config = loadConfig({ env: { PORT: '3000', TIDINGS_DATA_DIR: dataDir } });
    server = await startServer(
      { ...config, port: 0 },
      { logger: createLogger('silent'), schedule: false, host: '127.0.0.1' },
    );
    await server.refresh('demo');
    const feed = (await (await fetch(`${server.url}/feeds/demo.json`)).json()) as {
      items: { title: string }[];
    };
    newest = feed.items.map((item) => item.title);

    const port = await freePort();
    example = startExample('embed-widget', [], { PORT: String(port), TIDINGS_URL: server.url });
    pageUrl = `http://localhost:${port}/`;
    await waitFor(async () => ((await fetch(pageUrl)).ok ? true : undefined), 60_000);

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await example?.stop();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the newest items in both web components and in the iframe', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(pageUrl);
    const shown = await page
      .waitForFunction(
        () => {
          const lists = [...document.querySelectorAll('tidings-feed')].map((feed) =>
            [...(feed.shadowRoot?.querySelectorAll('[part~="item"] a') ?? [])].map(
              (link) => link.textContent ?? '',
            ),
          );
          return lists.length === 2 && lists.every((list) => list.length > 0) ? lists : undefined;
        },
        undefined,
        { timeout: 15_000 },
      )
      .then((handle) => handle.jsonValue() as Promise<string[][]>);
    // limit="5" and limit="4", as the example's index.html asks.
    expect(shown.map((titles) => titles.length)).toEqual([5, 4]);
    expect(shown[0]).toEqual(newest.slice(0, 5));
    expect(shown[1]).toEqual(newest.slice(0, 4));

    const frame = page.frameLocator('iframe');
    await expect.poll(() => frame.locator('a').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(5);
    expect(await frame.locator('a').first().textContent()).toBe(newest[0]);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
