// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${TIDINGS_…}` is the config syntax under test
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltServer, startBuiltServer } from '../support/built-server.js';
import { type FixtureSite, serveFixtureSite } from '../support/fixture-site.js';

const KEY = 'k-5c1f9e2a7b3d';
const SESSION = 'JS-8d7e6f5a4b3c2d1e';

/**
 * A source's headers and cookies, from the environment, reach its site with every request
 * (listing, article pages, a rendered page's own requests) and appear nowhere else: not in the
 * logs (at debug), not on /healthz, not in an error about a URL that carries them.
 */
describe('per-source request headers and cookies, in the built server', () => {
  let section: FixtureSite;
  let notices: FixtureSite;
  let members: FixtureSite;
  let server: BuiltServer;

  beforeAll(async () => {
    section = await serveFixtureSite('jy.tj.gov.cn');
    notices = await serveFixtureSite('script-built');
    // A Java site whose session expired: it rewrites the URL with the session id, then refuses.
    members = await serveFixtureSite('script-built', {
      '/members/': (request, response) => {
        const session = /sid=([^;]+)/.exec(request.headers.cookie ?? '')?.[1] ?? 'none';
        response.writeHead(302, { location: `/login;jsessionid=${session}` });
        response.end();
      },
    });
    const secrets = [
      '    headers:',
      '      X-Api-Key: ${TIDINGS_E2E_KEY}',
      '    cookies:',
      '      sid: ${TIDINGS_E2E_SESSION}',
      '      lang: zh-CN',
      '',
    ].join('\n');
    const source = (id: string, url: string, extra: string) =>
      `  - id: ${id}\n    url: ${url}\n    refresh: 1h\n    allowPrivateNetwork: true\n${extra}${secrets}`;
    server = await startBuiltServer(
      [
        'rateLimit: false # this test polls /healthz',
        'sources:',
        source('tjjy', `${section.origin}/JYXW/TJJY/`, '    profile: tj-education\n    fullText: true\n'),
        source(
          'notices',
          `${notices.origin}/`,
          '    profile: auto\n    fullText: false\n    render: browser\n',
        ),
        source('members', `${members.origin}/members/`, '    profile: auto\n    fullText: false\n'),
      ].join('\n'),
      { TIDINGS_E2E_KEY: KEY, TIDINGS_E2E_SESSION: SESSION },
    );
    await Promise.all(['tjjy', 'notices', 'members'].map((id) => server.refreshed(id, 120_000)));
  }, 150_000);

  afterAll(async () => {
    expect(await server?.stop()).toBe(0);
    await Promise.all([section, notices, members].map((site) => site?.close()));
  });

  /** Every request but robots.txt (shared by all who fetch from the origin) carried them. */
  function expectSentWithEverything(site: FixtureSite) {
    const requests = site.requests.filter((request) => request.url !== '/robots.txt');
    expect(requests.length).toBeGreaterThan(0);
    for (const request of requests) {
      expect(request.headers['x-api-key'], request.url).toBe(KEY);
      expect(request.headers.cookie, request.url).toBe(`sid=${SESSION}; lang=zh-CN`);
    }
    const robots = site.requests.find((request) => request.url === '/robots.txt');
    expect(robots?.headers.cookie).toBeUndefined();
  }

  it('the listing and article pages of a source get them', async () => {
    expect(await server.health('tjjy')).toMatchObject({ articles: 15, lastError: null });
    // Page 1 and its 15 article pages.
    expect(section.paths().filter((path) => path.includes('/JYXW/TJJY/2024'))).toHaveLength(15);
    expectSentWithEverything(section);
  });

  it("a rendered page's own requests get them", async () => {
    expect(await server.health('notices')).toMatchObject({ articles: 6, lastError: null });
    expect(notices.paths()).toContain('/api/news.json');
    expectSentWithEverything(notices);
  });

  it('they are in no log line, not on /healthz, not in an error whose URL carries them', async () => {
    expect((await server.health('members'))?.lastError).toBe(
      `FetchError: GET ${members.origin}/login;jsessionid=[redacted] (redirected from ${members.origin}/members/) ` +
        'answered 404 Not Found; the page is gone or has moved: check the URL',
    );
    const health = await (await fetch(`${server.base}/healthz`)).text();
    const logs = server.logs();
    expect(logs).toContain('"msg":"refreshed"');
    for (const secret of [KEY, SESSION]) {
      expect(health).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
  });
});
