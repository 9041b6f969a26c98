import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@tidings/server';
import * as cheerio from 'cheerio';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureSite, serveFixtureSite } from '../support/fixture-site.js';
import { FIXTURES } from '../support/fixtures.js';
import { freePort, spawnServerProcess, waitFor } from '../support/server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEFAULT_CONFIG = join(ROOT, 'apps/server/config/default.yaml');
const LISTING = join(FIXTURES, 'console/a/xwzx/index.html');

/** What the DedeCMS listing shows, read from the fixture itself: each item's link, short title, intro. */
function listingItems(origin: string) {
  const $ = cheerio.load(readFileSync(LISTING, 'utf8'));
  return $('ul.e2 > li')
    .toArray()
    .map((li) => ({
      url: new URL($(li).find('a.title').attr('href') as string, `${origin}/a/xwzx/`).href,
      shortTitle: $(li).find('a.title').text().trim(),
      intro: $(li).find('p.intro').text().trim(),
    }));
}

/** Lines of `after` that are not in `before`, when `before` survives whole and in order; else null. */
function addedBlock(before: string, after: string): string | null {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  if (head + tail !== a.length) return null;
  return b.slice(head, b.length - tail).join('\n');
}

/**
 * /console in real Chromium against the built server (its admin API, its config file): a site no
 * profile knows is added by pointing and clicking, and served without a restart.
 */
describe('/console in real Chromium, against the built server', () => {
  const token = randomBytes(24).toString('hex');
  let site: FixtureSite;
  let dir: string;
  let configFile: string;
  let original: string;
  let child: ChildProcess;
  let logs = '';
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  /** Requests the browser tried to send anywhere but 127.0.0.1 (aborted). */
  const offsite: string[] = [];
  const dialogs: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    site = await serveFixtureSite('console');
    dir = mkdtempSync(join(tmpdir(), 'tidings-console-'));
    // The bundled config with its comments, its snapshot path made absolute for the copy's folder.
    configFile = join(dir, 'tidings.yaml');
    original = readFileSync(DEFAULT_CONFIG, 'utf8').replace(
      /^(\s*snapshot: )(\S+)/m,
      (_line, key: string, path: string) => key + join(ROOT, 'apps/server/config', path),
    );
    expect(original).not.toBe(readFileSync(DEFAULT_CONFIG, 'utf8'));
    writeFileSync(configFile, original);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawnServerProcess({
      PORT: String(port),
      HOST: '127.0.0.1',
      TIDINGS_CONFIG: configFile,
      TIDINGS_DATA_DIR: join(dir, 'data'),
      TIDINGS_ADMIN_TOKEN: token,
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      logs += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      logs += chunk.toString();
    });
    await waitFor(async () => ((await fetch(`${base}/healthz`)).ok ? true : undefined), 30_000).catch(
      (error: unknown) => {
        throw new Error(`the built server did not start (pnpm build first?): ${String(error)}\n${logs}`);
      },
    );
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    await context.route('**', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1') return route.continue();
      offsite.push(url.href);
      return route.abort();
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (child && child.exitCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    }
    await site?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function openConsole(): Promise<Page> {
    const page = await context.newPage();
    page.on('dialog', async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    page.on('pageerror', (error) => errors.push(error.message));
    const response = await page.goto(`${base}/console`);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-src 'self'");
    expect(csp).not.toContain("script-src 'self' 'unsafe-inline'");
    return page;
  }

  async function signIn(page: Page): Promise<void> {
    await page.fill('#token', token);
    await page.press('#token', 'Enter');
    await page.waitForSelector('#app:not([hidden])');
  }

  async function previewUrl(page: Page, url: string): Promise<void> {
    await page.fill('#url', url);
    await page.check('#private-network');
    await page.click('#preview-form button[type="submit"]');
  }

  const shownTitles = (page: Page) =>
    page.$$eval('#items .item-title', (links) => links.map((a) => a.textContent));

  it('adds a site no profile knows: preview, pick the title in the page, save, served without a restart', async () => {
    const items = listingItems(site.origin);
    expect(items).toHaveLength(8);
    const page = await openConsole();

    // A wrong token is refused, with a message saying so.
    await page.fill('#token', 'not-the-token-at-all');
    await page.press('#token', 'Enter');
    await expect.poll(() => page.textContent('#token-message')).toContain('refused this token');
    expect(await page.isHidden('#app')).toBe(true);
    await signIn(page);
    expect(await page.evaluate(() => sessionStorage.getItem('tidings.adminToken'))).toBe(token);

    // Paste the URL: the candidate blocks, the items detection reads, the first article's page.
    await previewUrl(page, `${site.origin}/a/xwzx/`);
    await page.waitForSelector('#items li');
    expect(await shownTitles(page)).toEqual(items.map((item) => item.shortTitle));
    expect(await page.textContent('#candidates')).toContain('ul.e2 > li');
    expect(await page.inputValue('#rule-item')).toBe('ul.e2 > li');
    expect(await page.textContent('#article h4')).toBe('学院召开2024年冬季校园安全工作部署会');

    // The listing in the picker: sandboxed, no scripts; its items outlined.
    expect(await page.getAttribute('#picker', 'sandbox')).toBe('allow-same-origin');
    const frame = page.frameLocator('#picker');
    await expect
      .poll(() => frame.locator('[data-tidings-item]').count(), { timeout: 10_000 })
      .toBe(items.length);

    // The shortened titles are poor: take the title from the intro instead, by clicking one.
    await page.check('input[name="pick"][value="title"]');
    const intro = frame.locator('ul.e2 > li').nth(1).locator('p.intro');
    await intro.click();
    expect(await intro.getAttribute('data-tidings-picked')).toBe('');
    expect(await page.inputValue('#rule-title')).toBe('p.intro');
    await expect.poll(() => shownTitles(page), { timeout: 15_000 }).toEqual(items.map((item) => item.intro));
    expect(
      await page.$$eval('#items .item-title', (links) => links.map((a) => (a as HTMLAnchorElement).href)),
    ).toEqual(items.map((item) => item.url));
    await expect
      .poll(() => frame.locator('[data-tidings-field~="title"]').count(), { timeout: 5_000 })
      .toBe(items.length);

    // Save: the feed's page is linked, and the list of sources shows it.
    await page.fill('#source-id', 'college-news');
    await page.fill('#source-title', '滨海职院 · 新闻中心');
    await page.fill('#source-refresh', '1h');
    await page.uncheck('#source-full-text');
    await page.click('#save-button');
    await page.waitForSelector('#save-message a[href="/feeds/college-news"]');
    await page.waitForSelector('#sources li[data-id="college-news"]');

    // Without a restart, the server serves what the console showed.
    const feed = await waitFor(async () => {
      const response = await fetch(`${base}/feeds/college-news.json`);
      if (!response.ok) return undefined;
      const body = (await response.json()) as { title: string; items: { title: string; url: string }[] };
      return body.items.length === items.length ? body : undefined;
    }, 30_000);
    expect(feed.title).toBe('滨海职院 · 新闻中心');
    expect(feed.items.map((item) => ({ title: item.title, url: item.url }))).toEqual(
      items.map((item) => ({ title: item.intro, url: item.url })),
    );

    // The config file gained the new source and nothing else: every comment is where it was.
    const written = readFileSync(configFile, 'utf8');
    const added = addedBlock(original, written);
    expect(added, written).not.toBeNull();
    expect(added).toMatch(/^\s+- id: college-news$/m);
    const saved = loadConfig({ file: configFile, env: {} }).sources.find(
      (source) => source.id === 'college-news',
    );
    expect(saved).toMatchObject({
      url: `${site.origin}/a/xwzx/`,
      enabled: true,
      refreshMs: 3_600_000,
      pages: 1,
      fullText: false,
      allowPrivateNetwork: true,
      title: '滨海职院 · 新闻中心',
      profile: {
        list: {
          item: 'ul.e2 > li',
          title: { selector: 'p.intro' },
          link: { selector: 'a.title', attribute: 'href' },
          date: { selector: 'span.info' },
        },
      },
    });

    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(offsite).toEqual([]);
    await page.close();
  }, 90_000);

  it('shows a hostile page in the picker without running any of it', async () => {
    const page = await openConsole();
    await signIn(page);
    await previewUrl(page, `${site.origin}/hostile/`);
    await page.waitForSelector('#items li');
    expect(await shownTitles(page)).toHaveLength(5);
    const frame = page.frameLocator('#picker');
    await expect.poll(() => frame.locator('[data-tidings-item]').count(), { timeout: 10_000 }).toBe(6);

    // Hover the item with onmouseover, click the javascript: links, press keys in the page.
    await frame.locator('.notice-list li a').first().hover();
    await frame.locator('#js-link').click();
    await frame.locator('a.js-nav').click();
    await frame.locator('input[name="q"]').click();
    await page.keyboard.press('Enter');
    await page.waitForTimeout(500);

    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    const picker = page.frames().find((candidate) => candidate.parentFrame() === page.mainFrame());
    expect(picker?.url()).toBe('about:srcdoc');
    expect(await picker?.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await frame.locator('#written').count()).toBe(0);
    expect(await frame.locator('script, iframe, object, embed, meta[http-equiv]').count()).toBe(0);
    expect(page.url()).toBe(`${base}/console`);
    expect(site.paths()).not.toContain('/evil.js');

    // Even if both cleanings missed everything: the page as served, put straight into the frame,
    // which runs no script (sandboxed without allow-scripts, and under the console's CSP).
    expect(await page.getAttribute('#picker', 'sandbox')).toBe('allow-same-origin');
    const served = readFileSync(join(FIXTURES, 'console/hostile/index.html'), 'utf8');
    await page.evaluate((html) => {
      (document.getElementById('picker') as HTMLIFrameElement).srcdoc = html;
    }, served);
    await expect.poll(() => frame.locator('#js-link').count(), { timeout: 5_000 }).toBe(1);
    await frame.locator('.notice-list li a').first().hover();
    await frame.locator('#js-link').click();
    await frame.locator('a.js-nav').click();
    await page.waitForTimeout(500);
    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await frame.locator('#written').count()).toBe(0);
    expect(page.url()).toBe(`${base}/console`);
    expect(errors).toEqual([]);
    expect(offsite).toEqual([]);
    await page.close();
  }, 60_000);

  it('works with the keyboard: picks with the arrow keys; edits, refreshes, disables and deletes a source (asking in the page)', async () => {
    const items = listingItems(site.origin);
    const page = await openConsole();
    await page.keyboard.type(token);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#app:not([hidden])');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('url');
    await page.keyboard.type(`${site.origin}/a/xwzx/`);
    await page.keyboard.press('Tab'); // Preview
    await page.keyboard.press('Tab'); // allow private networks
    await page.keyboard.press('Space');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#items li');
    expect(await shownTitles(page)).toEqual(items.map((item) => item.shortTitle));

    // "title" in the radio group, then into the frame: the cursor starts on the first item.
    await page.focus('input[name="pick"][value="item"]');
    await page.keyboard.press('ArrowRight');
    expect(await page.$eval('input[name="pick"]:checked', (input) => (input as HTMLInputElement).value)).toBe(
      'title',
    );
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('picker');
    await expect.poll(() => page.textContent('#picker-at')).toMatch(/^li — /);
    await page.keyboard.press('ArrowRight'); // into the item: a.title
    await page.keyboard.press('ArrowDown'); // its next sibling: span.info
    await page.keyboard.press('ArrowRight'); // into it: the first <small>
    expect(await page.textContent('#picker-at')).toBe('small — 日期：');
    await page.keyboard.press('ArrowLeft'); // back out to span.info
    await page.keyboard.press('ArrowDown'); // p.intro
    expect(await page.textContent('#picker-at')).toMatch(/^p\.intro — /);
    await page.keyboard.press('Enter');
    expect(await page.inputValue('#rule-title')).toBe('p.intro');
    await expect.poll(() => shownTitles(page), { timeout: 15_000 }).toEqual(items.map((item) => item.intro));

    // Edit the source the first test added: its saved selectors come back; Save puts it again.
    const row = page.locator('#sources li[data-id="college-news"]');
    await row.getByRole('button', { name: /Edit/ }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.inputValue('#rule-title'), { timeout: 15_000 }).toBe('p.intro');
    expect(await page.inputValue('#source-id')).toBe('college-news');
    expect(await page.getAttribute('#source-id', 'readonly')).toBe('');
    await expect.poll(() => shownTitles(page), { timeout: 15_000 }).toEqual(items.map((item) => item.intro));
    await page.fill('#source-refresh', '2h');
    await page.focus('#save-button');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('#save-message'), { timeout: 10_000 }).toContain('Updated');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe(
      '/feeds/college-news',
    );
    expect(addedBlock(original, readFileSync(configFile, 'utf8'))).toMatch(/^\s+refresh: 2h$/m);

    // Refresh now, then disable and enable again: each answered in the row's list.
    await row.getByRole('button', { name: /Refresh now/ }).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.textContent('#sources-message'), { timeout: 15_000 })
      .toMatch(/^college-news: .*0 added, 0 updated$/);
    await row.getByRole('button', { name: /Disable/ }).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => row.getAttribute('class'), { timeout: 10_000 }).toBe('source off');
    expect(addedBlock(original, readFileSync(configFile, 'utf8'))).toMatch(/^\s+enabled: false$/m);
    await row.getByRole('button', { name: /Enable/ }).click();
    await expect.poll(() => row.getAttribute('class'), { timeout: 10_000 }).toBe('source');

    // Delete it: the question is asked in the page, Escape keeps it.
    await row.getByRole('button', { name: /Delete/ }).focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Cancel');
    await page.keyboard.press('Escape');
    expect(await row.locator('.confirm').isHidden()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Delete');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Shift+Tab'); // from Cancel to the confirming Delete
    await page.keyboard.press('Enter');
    await page.waitForSelector('#sources li[data-id="college-news"]', { state: 'detached' });
    expect((await fetch(`${base}/feeds/college-news.json`)).status).toBe(404);
    expect(readFileSync(configFile, 'utf8')).toBe(original);

    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(offsite).toEqual([]);
    await page.close();
  }, 60_000);
});
