import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type FixtureSite, type Route, serveFixtureSite } from '../../../test/support/fixture-site.js';
import { EXIT, run } from '../src/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

async function tidings(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    cwd: ROOT,
  });
  return { code, stdout, stderr };
}

const sites: FixtureSite[] = [];
afterEach(async () => {
  await Promise.all(sites.splice(0).map((site) => site.close()));
});
async function site(folder: string, routes: Record<string, Route> = {}): Promise<FixtureSite> {
  const served = await serveFixtureSite(folder, routes);
  sites.push(served);
  return served;
}

describe('--render browser: a list built by script, read as Chromium renders it', () => {
  it('parse reads the list; the request robots.txt disallows is refused and noted', async () => {
    const notices = await site('script-built');
    const { code, stdout, stderr } = await tidings([
      'parse',
      `${notices.origin}/`,
      '--render',
      'browser',
      '--allow-private-network',
    ]);
    expect(code).toBe(EXIT.ok);
    const listing = JSON.parse(stdout) as { articles: { title: string; publishedAt: string }[] };
    expect(listing.articles).toHaveLength(6);
    expect(listing.articles[0]).toMatchObject({
      title: '关于2025年元旦放假安排的通知',
      publishedAt: '2024-12-27T00:00:00+08:00',
    });
    expect(stderr).toContain(
      `tidings: note: the page's request for ${notices.origin}/private/visit.json?page=tzgg was refused or failed (robots-disallowed)\n`,
    );
    expect(notices.paths().some((path) => path.startsWith('/private/'))).toBe(false);
  }, 60_000);

  it('detect and feed take it too', async () => {
    const notices = await site('script-built');
    const flags = ['--render', 'browser', '--allow-private-network'];
    const detect = await tidings(['detect', `${notices.origin}/`, ...flags]);
    expect(detect.code).toBe(EXIT.ok);
    expect(detect.stdout).toContain('      item: "#news-list > li"');
    const feed = await tidings(['feed', `${notices.origin}/`, '--url', `${notices.origin}/`, ...flags]);
    expect(feed.code).toBe(EXIT.ok);
    expect(feed.stdout.match(/<item>/g)).toHaveLength(6);
  }, 60_000);

  it('without it, the same page says its list is built by script and names the flag', async () => {
    const notices = await site('script-built');
    const { code, stderr } = await tidings(['parse', `${notices.origin}/`, '--allow-private-network']);
    expect(code).toBe(EXIT.parseFailed);
    expect(stderr).toContain(
      `tidings: LayoutError (script-built): Found no list of articles on ${notices.origin}/: this page builds its ` +
        'list with JavaScript (an empty <ul id="news-list">, 1 script): try `--render browser`.\n',
    );
  });

  it('an empty app shell says the same', async () => {
    const { code, stderr } = await tidings([
      'parse',
      'test/fixtures/app-shell/index.html',
      '--url',
      'https://www.example.edu.cn/',
    ]);
    expect(code).toBe(EXIT.parseFailed);
    expect(stderr).toBe(
      'tidings: LayoutError (script-built): Found no list of articles on https://www.example.edu.cn/: this page ' +
        'builds its list with JavaScript (an empty <div id="app">, 2 scripts, a <noscript> asking for JavaScript): ' +
        'try `--render browser`.\n',
    );
  });

  it('a bot check says what it is, and that Tidings does not solve it', async () => {
    const body = readFileSync(`${ROOT}test/fixtures/challenge/ruishu-412.html`);
    const guarded = await site('challenge', {
      '/news/': (_request, response) => {
        response.writeHead(412, { 'content-type': 'text/html; charset=utf-8' });
        response.end(body);
      },
    });
    const { code, stderr } = await tidings(['parse', `${guarded.origin}/news/`, '--allow-private-network']);
    expect(code).toBe(EXIT.parseFailed);
    expect(stderr).toBe(
      `tidings: FetchError (challenge): GET ${guarded.origin}/news/ answered 412 Precondition Failed with a bot ` +
        'check instead of the page: a Ruishu (瑞数) bot check ($_ts script); Tidings does not solve bot checks, ' +
        'with or without a browser: ask the site for a feed or for access, or, if you may, send the cookie a ' +
        "browser gets past the check (a source's `cookies:` in the server's config), knowing that it expires\n",
    );
  });

  it.each([
    [['parse', 'https://example.org/', '--render', 'chrome'], '--render takes browser, not "chrome".'],
    [
      ['parse', 'test/fixtures/app-shell/index.html', '--render', 'browser'],
      '--render browser reads a page from the web: give its http(s) URL, not a file.',
    ],
  ])('exits 2 for %j', async (args, message) => {
    const { code, stderr } = await tidings(args);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toContain(message);
  });
});
