import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltServer, startBuiltServer } from '../../../test/support/built-server.js';
import {
  type AdminServer,
  eventually,
  feedItems,
  type LocalSite,
  startAdminServer,
  startLocalSite,
} from './admin-support.js';

function source(id: string, site: LocalSite): string {
  return `  - id: ${id}
    url: ${site.listing}
    allowPrivateNetwork: true
    fullText: false
    refresh: 1h
`;
}

/** The log lines (pino JSON) with this message. */
function logged(lines: readonly string[], message: string): Record<string, unknown>[] {
  return lines
    .flatMap((line) => line.split('\n'))
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.msg === message);
}

describe('reloading the config file while serving', () => {
  let site: LocalSite;
  let admin: AdminServer;
  let original: string;

  beforeAll(async () => {
    site = await startLocalSite();
    original = `# Reloaded when it changes.\nsources:\n${source('school', site)}`;
    admin = await startAdminServer(original, {}, { watchConfig: true });
    await admin.server.refresh('school');
  });

  afterAll(async () => {
    await admin?.dispose();
    await site?.close();
  });

  it('a source added in the file is served, without a restart', async () => {
    writeFileSync(admin.file, `${original}${source('second', site)}`);
    const items = await eventually(async () => {
      const feed = await feedItems(admin.base, 'second');
      return feed?.length === 12 ? feed : undefined;
    });
    expect(items).toHaveLength(12);
    const [line] = logged(admin.logs, 'config reloaded');
    expect(line).toMatchObject({ reason: 'file changed', added: ['second'], changed: [], removed: [] });
  });

  it('a file that fails validation keeps the running config, and says why in one line', async () => {
    const good = readFileSync(admin.file, 'utf8');
    writeFileSync(admin.file, good.replace('refresh: 1h', 'refresh: 5 minutes'));
    const [failure] = await eventually(async () => {
      const lines = logged(admin.logs, 'config reload failed; keeping the running config');
      return lines.length > 0 ? lines : undefined;
    });
    expect(failure?.error).toMatch(/sources\[0\]\.refresh: "5 minutes" is not a duration/);
    expect(String(failure?.error)).not.toContain('\n');
    expect((await feedItems(admin.base, 'school'))?.length).toBe(12);
    expect((await feedItems(admin.base, 'second'))?.length).toBe(12);

    writeFileSync(admin.file, 'sources: [oops');
    const result = await admin.server.reload();
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/YAML syntax error/) });
    expect((await feedItems(admin.base, 'school'))?.length).toBe(12);
    writeFileSync(admin.file, good);
    await admin.server.reload();
  });

  it('an API change is not taken for a change on disk; a removal in the file stops the feed', async () => {
    const before = logged(admin.logs, 'config reloaded').length;
    const response = await admin.server.reload();
    expect(response).toEqual({ ok: true, added: [], changed: [], removed: [], needsRestart: [] });

    writeFileSync(admin.file, original);
    await eventually(async () =>
      (await fetch(`${admin.base}/feeds/second.json`)).status === 404 ? true : undefined,
    );
    expect(logged(admin.logs, 'config reloaded').slice(before).at(-1)).toMatchObject({ removed: ['second'] });
    expect(await admin.server.backend.countArticles('second')).toBe(12);
  });

  it('keys that cannot change while running are named as needing a restart', async () => {
    writeFileSync(admin.file, `publicUrl: https://feeds.example.org\n${original}`);
    const result = await admin.server.reload();
    expect(result).toMatchObject({ ok: true, needsRestart: ['publicUrl'] });
    expect(
      logged(
        admin.logs,
        'config: publicUrl changed; that needs a restart (the running server keeps the old value)',
      ),
    ).toHaveLength(1);
  });
});

describe('SIGHUP', () => {
  let site: LocalSite;
  let built: BuiltServer;

  beforeAll(async () => {
    site = await startLocalSite();
    built = await startBuiltServer(`sources:\n${source('school', site)}`);
    await built.refreshed('school');
  });

  afterAll(async () => {
    await built?.stop();
    await site?.close();
  });

  it('reloads the config file of the built server', async () => {
    writeFileSync(built.file, `sources:\n${source('school', site)}${source('second', site)}`);
    built.signal('SIGHUP');
    const feed = await built.refreshed('second');
    expect(feed).toMatchObject({ articles: 12, lastError: null });
    const reloads = built
      .logs()
      .split('\n')
      .filter((line) => line.includes('"msg":"config reloaded"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    // The signal is read before the file watcher's pause ends; the watcher then finds nothing new.
    expect(reloads[0]).toMatchObject({ reason: 'SIGHUP', added: ['second'] });
    expect((await fetch(`${built.base}/feeds/second.json`)).status).toBe(200);
  });
});
