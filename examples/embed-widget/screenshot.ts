// Makes screenshot.png: the example page, against a Tidings server on the bundled demo.
// Run from the repository root: `pnpm screenshot` (needs Debian's chromium).
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, loadConfig, startServer } from '@tidings/server';
import { chromium } from 'playwright-core';
// @ts-expect-error: a plain ES module without types
import { page as examplePage } from './serve.mjs';

const config = loadConfig({
  env: { PORT: '3000', TIDINGS_DATA_DIR: mkdtempSync(join(tmpdir(), 'tidings-shot-')) },
});
const server = await startServer(
  { ...config, port: 0, rateLimit: false },
  { logger: createLogger('silent'), schedule: false, host: '127.0.0.1' },
);
await server.refresh('demo');
const html = (examplePage as (url: string) => string)(server.url);
const site = createServer((_request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
});
await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(`http://127.0.0.1:${(site.address() as AddressInfo).port}/`);
  // Every widget has rendered its items (a string: this script is typed for Node, not the DOM).
  await page.waitForFunction(
    "[...document.querySelectorAll('tidings-feed')].every((feed) => feed.shadowRoot?.querySelector('[part~=\"item\"]'))",
  );
  await page.waitForTimeout(300);
  const file = fileURLToPath(new URL('./screenshot.png', import.meta.url));
  await page.screenshot({ path: file, fullPage: true });
  console.log(`wrote ${file}`);
} finally {
  await browser.close();
  site.close();
  await server.close();
}
