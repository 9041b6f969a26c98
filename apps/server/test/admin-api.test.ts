import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdminServer,
  eventually,
  feedItems,
  type LocalSite,
  startAdminServer,
  startLocalSite,
  TOKEN,
} from './admin-support.js';

/** A config file as a person writes one: comments on top, between entries and after values. */
function configText(site: LocalSite): string {
  return `# Tidings on a test machine.
# Comments here must survive every change made through the API.

sources:
  # The school's news, read with written rules.
  - id: school
    url: ${site.listing}
    allowPrivateNetwork: true # the site is on loopback
    refresh: 1h
    fullText: false
    profile:
      list:
        item: ul.news > li
        title: a
        link: { selector: a, attribute: href }
        date: span.date

admin:
  token: ${TOKEN} # change me
`;
}

/** The lines `after` has that `before` does not, when they form one block (else undefined). */
function addedBlock(before: string, after: string): string[] | undefined {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  if (start + end !== a.length) return undefined;
  return b.slice(start, b.length - end);
}

describe('the admin API', () => {
  let site: LocalSite;
  let admin: AdminServer;

  beforeAll(async () => {
    site = await startLocalSite();
    admin = await startAdminServer(configText(site));
    await admin.server.refresh('school');
  });

  afterAll(async () => {
    await admin?.dispose();
    await site?.close();
  });

  describe('authentication', () => {
    it('answers 401 with WWW-Authenticate without a token', async () => {
      const answer = await admin.call('GET', '/api/sources', undefined, null);
      expect(answer.status).toBe(401);
      expect(answer.body.error).toBe('unauthorized');
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(answer.headers.get('cache-control')).toBe('no-store');
    });

    it('answers 401 with a wrong token, even one that differs only at the end', async () => {
      const answer = await admin.call('GET', '/api/sources', undefined, `${TOKEN.slice(0, -1)}x`);
      expect(answer.status).toBe(401);
      expect(answer.body.error).toBe('unauthorized');
    });

    it('answers with the token, never to be cached', async () => {
      const answer = await admin.call('GET', '/api/sources');
      expect(answer.status).toBe(200);
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.body.sources).toHaveLength(1);
      expect(answer.body.sources[0]).toMatchObject({
        source: { id: 'school', refresh: '1h', allowPrivateNetwork: true },
        status: { consecutiveFailures: 0, lastError: null },
        articles: 12,
      });
    });

    it('refuses other methods on /api/ paths and names what is allowed', async () => {
      const answer = await admin.call('PATCH', '/api/sources');
      expect(answer.status).toBe(405);
      expect(answer.headers.get('allow')).toBe('GET, POST');
    });

    it('refuses a body that is not JSON, or larger than 1 MiB', async () => {
      expect((await admin.call('POST', '/api/sources', '{not json')).body.error).toBe('bad-json');
      const large = await admin.call('POST', '/api/preview', {
        url: `${site.listing}?${'x'.repeat(1_100_000)}`,
      });
      expect(large.status).toBe(413);
      expect(large.body.error).toBe('body-too-large');
    });
  });

  describe('POST /api/preview', () => {
    it('reads a local site it is allowed to: candidates with their items, the feed, one article, a harmless page', async () => {
      const answer = await admin.call('POST', '/api/preview', {
        url: site.listing,
        allowPrivateNetwork: true,
      });
      expect(answer.status).toBe(200);
      const { body } = answer;
      expect(body.url).toBe(site.listing);
      expect(body.articles).toHaveLength(12);
      // Detection reads the link's title attribute, the full title, over its shortened text.
      expect(body.articles[0]).toMatchObject({
        title: '关于第 12 期校园活动安排的通知',
        url: `${site.origin}/news/12.html`,
      });
      expect(body.articles[0].publishedAt).toMatch(/^2026-11-13T/);

      const [chosen] = body.detection.candidates;
      expect(body.detection.chosen).toBe(0);
      expect(chosen.count).toBe(12);
      expect(chosen.list.item).toBe(body.profile.list.item);
      expect(chosen.articles).toHaveLength(5);
      expect(chosen.articles[0].title).toBe('关于第 12 期校园活动安排的通知');
      // The rules the answer gives read the same page to the same items.
      expect(body.profile.list.link).toMatchObject({ attribute: 'href' });

      expect(body.article).toMatchObject({
        url: `${site.origin}/news/12.html`,
        title: '关于第 12 期校园活动安排的通知',
      });
      expect(body.article.text).toContain('第 12 期活动将于下周举行');
      expect(body.article.publishedAt).toMatch(/^2026-11-13T09:30:00/);

      const html: string = body.page.html;
      expect(html).toContain(`<base href="${site.listing}">`);
      expect(html).toContain('<ul class="news">');
      expect(html).toContain('<li class="row" id="item-12">');
      expect(html).not.toMatch(/<script|onerror|javascript:|<iframe|http-equiv|action=/i);
      expect(body.timings).toEqual({
        fetchMs: expect.any(Number),
        parseMs: expect.any(Number),
        pageMs: expect.any(Number),
        articleMs: expect.any(Number),
      });
    });

    it('reads with a written profile when given one, and gives it back', async () => {
      const profile = {
        list: {
          item: 'ul.news > li',
          title: 'a',
          link: { selector: 'a', attribute: 'href' },
          date: 'span.date',
        },
      };
      const answer = await admin.call('POST', '/api/preview', {
        url: site.listing,
        allowPrivateNetwork: true,
        profile,
      });
      expect(answer.status).toBe(200);
      expect(answer.body.detection).toBeNull();
      expect(answer.body.profile).toEqual(profile);
      expect(answer.body.articles[0].title).toBe('通知 12');
    });

    it('refuses a loopback URL without allowPrivateNetwork: 403 private-network, nothing fetched', async () => {
      const before = site.requests.length;
      const answer = await admin.call('POST', '/api/preview', { url: site.listing });
      expect(answer.status).toBe(403);
      expect(answer.body.error).toBe('private-network');
      expect(answer.body.message).toMatch(/allowPrivateNetwork/);
      expect(site.requests.length).toBe(before);
    });

    it('says which key of the request is wrong', async () => {
      const answer = await admin.call('POST', '/api/preview', { url: 'ftp://example.org/' });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: 'bad-request', path: 'url', value: 'ftp://example.org/' });
      const unknown = await admin.call('POST', '/api/preview', { url: site.listing, pages: 3 });
      expect(unknown.body).toMatchObject({ error: 'bad-request', path: 'pages' });
    });

    it("answers 422 layout with the parser's message for a page with no list", async () => {
      const answer = await admin.call('POST', '/api/preview', {
        url: `${site.origin}/news/3.html`,
        allowPrivateNetwork: true,
        profile: 'auto',
      });
      expect(answer.status).toBe(422);
      expect(answer.body.error).toBe('layout');
      expect(answer.body.message).toMatch(/no list of articles/i);
    });

    it('answers 502 fetch-failed for a page that is not there', async () => {
      const answer = await admin.call('POST', '/api/preview', {
        url: `${site.origin}/gone/`,
        allowPrivateNetwork: true,
      });
      expect(answer.status).toBe(502);
      expect(answer.body.error).toBe('fetch-failed');
    });
  });

  describe('changing sources', () => {
    const second = (overrides: Record<string, unknown> = {}) => ({
      id: 'second',
      url: site.listing,
      allowPrivateNetwork: true,
      refresh: '30m',
      fullText: false,
      profile: {
        list: {
          item: 'ul.news > li',
          title: 'a',
          link: { selector: 'a', attribute: 'href' },
          date: 'span.date',
        },
      },
      ...overrides,
    });

    it('POST adds the source: only its entry is added to the file, and its feed serves without a restart', async () => {
      const before = readFileSync(admin.file, 'utf8');
      const answer = await admin.call('POST', '/api/sources', second());
      expect(answer.status).toBe(201);
      expect(answer.body.source).toEqual(second());
      const after = readFileSync(admin.file, 'utf8');
      const added = addedBlock(before, after);
      expect(added?.[0]).toBe('  - id: second');
      expect(added).toContain('    refresh: 30m');
      expect(added).toContain('        link: { selector: a, attribute: href }');
      expect(after).toContain('allowPrivateNetwork: true # the site is on loopback');
      expect(after).toContain('# Comments here must survive every change made through the API.');

      const items = await eventually(async () => {
        const feed = await feedItems(admin.base, 'second');
        return feed?.length === 12 ? feed : undefined;
      });
      expect(items[0]?.title).toBe('通知 12');
      const index = await (await fetch(`${admin.base}/`)).text();
      expect(index).toContain('/feeds/second.rss');
    });

    it('POST of an id already configured is 409 source-exists', async () => {
      const answer = await admin.call('POST', '/api/sources', second());
      expect(answer.status).toBe(409);
      expect(answer.body.error).toBe('source-exists');
    });

    it('a bad source is 400 with the key and the value, and the file is not touched', async () => {
      const before = readFileSync(admin.file);
      const answer = await admin.call('POST', '/api/sources', second({ id: 'third', refresh: '5 minutes' }));
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({
        error: 'invalid-source',
        path: 'sources[2].refresh',
        value: '5 minutes',
      });
      expect(answer.body.message).toMatch(/is not a duration/);
      const selector = await admin.call(
        'PUT',
        '/api/sources/second',
        second({ profile: { list: { item: 'li[', title: 'a', link: 'a', date: 'span' } } }),
      );
      expect(selector.status).toBe(400);
      expect(selector.body.path).toBe('sources[1].profile.list.item');
      expect(readFileSync(admin.file).equals(before)).toBe(true);
      expect((await admin.call('GET', '/api/sources/second')).body.source.profile.list.item).toBe(
        'ul.news > li',
      );
    });

    it('PUT changes a selector: the entry is rewritten in place and the feed changes', async () => {
      const before = readFileSync(admin.file, 'utf8');
      const changed = second({
        profile: {
          list: {
            item: 'ul.news > li',
            title: { selector: 'a', attribute: 'title' },
            link: { selector: 'a', attribute: 'href' },
            date: 'span.date',
          },
        },
      });
      const answer = await admin.call('PUT', '/api/sources/second', changed);
      expect(answer.status).toBe(200);
      expect(answer.body.source).toEqual(changed);
      const after = readFileSync(admin.file, 'utf8');
      expect(after.replace('        title: { selector: a, attribute: title }\n', '        title: a\n')).toBe(
        before,
      );
      const items = await eventually(async () => {
        const feed = await feedItems(admin.base, 'second');
        return feed?.[0]?.title === '关于第 12 期校园活动安排的通知' ? feed : undefined;
      });
      expect(items).toHaveLength(12);
    });

    it('PUT with another id in the body is 400; of an unknown source 404', async () => {
      expect((await admin.call('PUT', '/api/sources/second', second({ id: 'other' }))).status).toBe(400);
      const unknown = await admin.call('PUT', '/api/sources/nope', second({ id: 'nope' }));
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toBe('unknown-source');
    });

    it('POST …/refresh runs the refresh and answers its outcome', async () => {
      const answer = await admin.call('POST', '/api/sources/school/refresh');
      expect(answer.status).toBe(200);
      expect(answer.body.outcome).toMatchObject({ outcome: 'ok', listed: 12 });
    });

    it('DELETE removes the entry and the feed; its history stays and comes back with it', async () => {
      const withSecond = readFileSync(admin.file, 'utf8');
      const answer = await admin.call('DELETE', '/api/sources/second');
      expect(answer.status).toBe(204);
      const after = readFileSync(admin.file, 'utf8');
      expect(after).not.toContain('id: second');
      expect(addedBlock(after, withSecond)?.[0]).toBe('  - id: second');
      expect((await fetch(`${admin.base}/feeds/second.json`)).status).toBe(404);
      expect((await admin.call('GET', '/api/sources/second')).status).toBe(404);
      expect(await admin.server.backend.countArticles('second')).toBe(12);
      expect(await (await fetch(`${admin.base}/`)).text()).not.toContain('/feeds/second.rss');

      site.requests.length = 0;
      await admin.call('POST', '/api/sources', second());
      // Served from its history at once, before its refresh has read anything.
      expect((await feedItems(admin.base, 'second'))?.length).toBe(12);
    });
  });
});

describe('the admin API without a token', () => {
  it('is off: every /api/ path answers 404 admin-off, whatever the method', async () => {
    const site = await startLocalSite();
    const admin = await startAdminServer(
      `sources:\n  - id: school\n    url: ${site.listing}\n    allowPrivateNetwork: true\n`,
    );
    try {
      for (const [method, path] of [
        ['GET', '/api/sources'],
        ['POST', '/api/preview'],
        ['DELETE', '/api/sources/school'],
      ] as const) {
        const answer = await admin.call(method, path, undefined, TOKEN);
        expect(answer.status).toBe(404);
        expect(answer.body.error).toBe('admin-off');
      }
    } finally {
      await admin.dispose();
      await site.close();
    }
  });

  it('is on with TIDINGS_ADMIN_TOKEN, which wins over the file', async () => {
    const site = await startLocalSite();
    const admin = await startAdminServer(
      `sources:\n  - id: school\n    url: ${site.listing}\n    allowPrivateNetwork: true\nadmin:\n  token: file-token-0123456789abcdef\n`,
      { TIDINGS_ADMIN_TOKEN: TOKEN },
    );
    try {
      expect((await admin.call('GET', '/api/sources')).status).toBe(200);
      expect((await admin.call('GET', '/api/sources', undefined, 'file-token-0123456789abcdef')).status).toBe(
        401,
      );
    } finally {
      await admin.dispose();
      await site.close();
    }
  });
});
