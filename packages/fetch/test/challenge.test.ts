import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { findChallenge } from '../src/challenge.js';
import { closeAll, decode, fetchError, html, startServer, testFetcher } from './helpers.js';

afterEach(closeAll);

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));
const fixture = (name: string) => readFileSync(`${FIXTURES}${name}`);

/** A server that answers every path with `body` and `status`, as HTML. */
function serving(status: number, body: Buffer | string) {
  return startServer((_request, response) => {
    response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    response.end(body);
  });
}

describe('a bot check is reported as such, not as the status or as a page', () => {
  it.each([
    [412, 'challenge/ruishu-412.html', 'answered 412 Precondition Failed', 'Ruishu (瑞数)'],
    [521, 'challenge/jiasule-521.html', 'answered 521', 'a script that sets a cookie and reloads the page'],
    [200, 'challenge/acw-sc-v2.html', 'answered with a bot check', 'Alibaba Cloud WAF'],
    [
      200,
      'challenge/noscript-only.html',
      'answered with a bot check',
      'a page that only asks for JavaScript',
    ],
  ] as const)('HTTP %i with %s → challenge', async (status, file, answered, what) => {
    const server = await serving(status, fixture(file));
    const error = await fetchError(testFetcher().fetch(`${server.origin}/news/`));

    expect(error.code).toBe('challenge');
    expect(error.status).toBe(status);
    expect(error.message).toContain(`GET ${server.origin}/news/ ${answered}`);
    expect(error.message).toContain(what);
    expect(error.message).toContain('Tidings does not solve bot checks');
    // Not worth another attempt: the check answers the same way every time.
    expect(error.attempts).toBe(1);
    expect(server.requests).toHaveLength(1);
  });

  it('a 403 that is only a script is a challenge; a 403 with words is a refusal', async () => {
    const scriptOnly = await serving(
      403,
      '<html><head><script src="/verify.js"></script></head><body></body></html>',
    );
    expect((await fetchError(testFetcher().fetch(`${scriptOnly.origin}/`))).code).toBe('challenge');

    const refusal = await serving(
      403,
      html('<h1>403 Forbidden</h1><p>Access denied.</p><script>track()</script>'),
    );
    const error = await fetchError(testFetcher().fetch(`${refusal.origin}/`));
    expect(error.code).toBe('http-status');
    expect(error.message).toContain('answered 403 Forbidden; the site refuses access');
  });

  it('a 503 bot check is not retried; a plain 503 still is', async () => {
    const check = await serving(503, fixture('challenge/jiasule-521.html'));
    const error = await fetchError(testFetcher({ retries: 2 }).fetch(`${check.origin}/`));
    expect(error.code).toBe('challenge');
    expect(check.requests).toHaveLength(1);

    const down = await serving(503, 'Service Unavailable');
    expect((await fetchError(testFetcher({ retries: 1 }).fetch(`${down.origin}/`))).code).toBe('http-status');
    expect(down.requests).toHaveLength(2);
  });

  it('an empty app shell passes: it is the parser that says the list is built by script', async () => {
    const shell = fixture('app-shell/index.html');
    const server = await serving(200, shell);
    const result = await testFetcher().fetch(`${server.origin}/`);
    expect(decode(result.body)).toBe(shell.toString());
  });

  it('news pages pass, scripts and all', () => {
    const listing = fixture('jy.tj.gov.cn/JYXW/TJJY/index.html');
    expect(findChallenge(200, listing)).toBeUndefined();
    expect(findChallenge(200, fixture('script-built/index.html'))).toBeUndefined();
    // A site behind Cloudflare gets its bot-management script on ordinary pages too.
    const withCloudflare = html(
      `<ul>${'<li><a href="/a">新闻标题新闻标题</a> 2024-12-04</li>'.repeat(20)}</ul>` +
        '<script src="/cdn-cgi/challenge-platform/h/g/scripts/jsd/main.js"></script>',
    );
    expect(findChallenge(200, Buffer.from(withCloudflare))).toBeUndefined();
  });
});
