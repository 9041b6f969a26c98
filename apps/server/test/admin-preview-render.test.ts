import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureSite, serveFixtureSite } from '../../../test/support/fixture-site.js';
import { type AdminServer, startAdminServer } from './admin-support.js';

/** A list built by script (test/fixtures/script-built), previewed as `render: browser` reads it: in real Chromium. */
describe('POST /api/preview with render: browser', () => {
  let notices: FixtureSite;
  let admin: AdminServer;

  beforeAll(async () => {
    notices = await serveFixtureSite('script-built');
    admin = await startAdminServer(
      `sources:\n  - id: idle\n    url: ${notices.origin}/\n    enabled: false\nadmin:\n  token: test-admin-token-0123456789abcdef\n`,
    );
  });

  afterAll(async () => {
    await admin?.dispose();
    await notices?.close();
  });

  it('reads nothing from the served page, and the six notices from the rendered one', async () => {
    const plain = await admin.call('POST', '/api/preview', {
      url: `${notices.origin}/`,
      allowPrivateNetwork: true,
    });
    expect(plain.status).toBe(422);
    expect(plain.body.message).toMatch(/render: browser/);

    const rendered = await admin.call('POST', '/api/preview', {
      url: `${notices.origin}/`,
      allowPrivateNetwork: true,
      render: 'browser',
    });
    expect(rendered.status).toBe(200);
    expect(rendered.body.articles).toHaveLength(6);
    expect(rendered.body.articles[0].title).toBe('关于2025年元旦放假安排的通知');
    // The picker gets the page as Chromium left it, the list in it, the page's scripts gone.
    expect(rendered.body.page.html).toContain('关于2025年元旦放假安排的通知');
    expect(rendered.body.page.html).not.toContain('<script');
  }, 60_000);
});
