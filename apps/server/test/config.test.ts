import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { type SiteProfile, TidingsError, trsFamily } from '@tidings/parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDuration } from '../src/config/duration.js';
import { bundledConfigPath, loadConfig } from '../src/config/load.js';
import { ConfigError } from '../src/errors.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tidings-config-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes `tidings.yaml` (or `name`) into the temp dir and returns its path. */
function configFile(text: string, name = 'tidings.yaml'): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function load(text: string, env: NodeJS.ProcessEnv = {}) {
  return loadConfig({ file: configFile(text), env });
}

/** The ConfigError loading `text` throws. */
function failure(text: string, env: NodeJS.ProcessEnv = {}): ConfigError {
  try {
    load(text, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected the config to be rejected');
}

const SOURCE = 'sources:\n  - id: news\n    url: https://example.org/news/\n';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['2d', 172_800_000],
    ['1h30m', 5_400_000],
    ['1h 30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['250ms', 250],
    [' 10m ', 600_000],
    [45_000, 45_000],
  ])('%j → %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(['5 minutes', '300', '1m30', '', 'm', '10 m s', '1w', -1, Number.NaN, Number.POSITIVE_INFINITY])(
    'rejects %j, naming it',
    (input) => {
      expect(() => parseDuration(input)).toThrow(ConfigError);
      expect(() => parseDuration(input)).toThrow(/is not a duration \(use 30s, 10m, 1h\)/);
    },
  );

  it('quotes the bad value', () => {
    expect(() => parseDuration('5 minutes')).toThrow('"5 minutes" is not a duration (use 30s, 10m, 1h)');
  });
});

describe('loadConfig: a valid file', () => {
  it('applies the defaults', () => {
    const config = load(SOURCE);
    expect(config).toEqual({
      sources: [
        {
          id: 'news',
          url: 'https://example.org/news/',
          enabled: true,
          pages: 1,
          refreshMs: 30 * 60_000,
          fullText: true,
          retention: {},
          feedSize: 50,
          allowPrivateNetwork: false,
        },
      ],
      file: join(dir, 'tidings.yaml'),
      port: 3000,
      dataDir: resolve('data'),
    });
  });

  it('reads every key, resolving the snapshot against the file and normalizing publicUrl', () => {
    mkdirSync(join(dir, 'mirror', 'site'), { recursive: true });
    const config = load(`
publicUrl: https://feeds.example.org/tidings/
store: sqlite:/var/lib/tidings/tidings.db
hub: https://hub.example.org/
sources:
  - id: tj-education-2
    url: https://jy.tj.gov.cn/JYXW/TJJY/
    enabled: false
    profile: tj-education
    pages: 50
    refresh: 1h30m
    fullText: false
    retention: { maxArticles: 500, maxAge: 365d }
    feedSize: 10
    allowPrivateNetwork: true
    snapshot: mirror/site
    title: 天津教育
  - id: auto
    url: http://example.org/
    profile: auto
    refresh: 90000
`);
    expect(config.publicUrl).toBe('https://feeds.example.org/tidings');
    expect(config.store).toBe('sqlite:/var/lib/tidings/tidings.db');
    expect(config.hub).toBe('https://hub.example.org/');
    expect(config.sources[0]).toEqual({
      id: 'tj-education-2',
      url: 'https://jy.tj.gov.cn/JYXW/TJJY/',
      enabled: false,
      profile: 'tj-education',
      pages: 50,
      refreshMs: 90 * 60_000,
      fullText: false,
      retention: { maxArticles: 500, maxAgeMs: 365 * 86_400_000 },
      feedSize: 10,
      allowPrivateNetwork: true,
      snapshot: join(dir, 'mirror', 'site'),
      title: '天津教育',
    });
    expect(config.sources[1]).toMatchObject({ id: 'auto', profile: 'auto', refreshMs: 90_000 });
  });

  it('compiles a profile written in the config, named after its source', () => {
    const config = load(`${SOURCE}    profile:
      extends: trs
      list:
        item: table.news tr
        title: td a
        link: { selector: td a, attribute: href }
        date: { selector: td.date, format: yyyy年M月d日 }
`);
    const profile = config.sources[0]?.profile as SiteProfile;
    expect(profile.id).toBe('news');
    expect(profile.list).toEqual({
      item: 'table.news tr',
      title: { selector: 'td a' },
      link: { selector: 'td a', attribute: 'href' },
      date: { selector: 'td.date', format: 'yyyy年M月d日' },
    });
    expect(profile.pagination).toEqual(trsFamily.pagination);
    expect(profile.article).toEqual(trsFamily.article);
  });

  it('takes a Redis store from the file or TIDINGS_REDIS_URL, and a lease TTL', () => {
    const fromFile = load(`store: redis://redis.internal:6379/2\nlockTtl: 45s\n${SOURCE}`);
    expect(fromFile).toMatchObject({ store: 'redis://redis.internal:6379/2', lockTtlMs: 45_000 });
    const fromEnv = load(`store: sqlite:/tmp/x.db\n${SOURCE}`, {
      TIDINGS_REDIS_URL: 'rediss://:secret@r:6380',
    });
    expect(fromEnv.store).toBe('rediss://:secret@r:6380');
    expect(failure(`store: mysql://db/tidings\n${SOURCE}`).message).toContain(
      'store: "mysql://db/tidings" is neither a file path, sqlite:<path>, a redis:// nor a postgres:// URL',
    );
  });

  it('takes a PostgreSQL store from the file or TIDINGS_DATABASE_URL, and refuses it together with TIDINGS_REDIS_URL', () => {
    expect(load(`store: postgres://tidings@db:5432/tidings\n${SOURCE}`).store).toBe(
      'postgres://tidings@db:5432/tidings',
    );
    expect(load(`store: postgresql://db/tidings\n${SOURCE}`).store).toBe('postgresql://db/tidings');
    const fromEnv = load(`store: redis://r:6379\n${SOURCE}`, {
      TIDINGS_DATABASE_URL: 'postgres://tidings:secret@db/tidings',
    });
    expect(fromEnv.store).toBe('postgres://tidings:secret@db/tidings');
    const both = failure(SOURCE, {
      TIDINGS_DATABASE_URL: 'postgres://tidings:secret@db/tidings',
      TIDINGS_REDIS_URL: 'redis://r:6379',
    });
    expect(both).toMatchObject({ code: 'bad-env', path: 'TIDINGS_DATABASE_URL' });
    expect(both.message).not.toContain('secret');
    const notPostgres = failure(SOURCE, { TIDINGS_DATABASE_URL: 'mysql://u:secret@db/tidings' });
    expect(notPostgres).toMatchObject({ code: 'bad-env' });
    expect(notPostgres.message).toContain('postgres://');
    expect(notPostgres.message).not.toContain('secret');
  });

  it('normalizes a bare-origin publicUrl', () => {
    expect(load(`publicUrl: https://feeds.example.org\n${SOURCE}`).publicUrl).toBe(
      'https://feeds.example.org',
    );
  });
});

describe('loadConfig: errors name the file, the key and the value', () => {
  it('a bad duration', () => {
    const error = failure(`${SOURCE}    refresh: 5 minutes\n`);
    expect(error.message).toBe(
      `${join(dir, 'tidings.yaml')}: sources[0].refresh: "5 minutes" is not a duration (use 30s, 10m, 1h)`,
    );
    expect(error).toMatchObject({ code: 'invalid-config', path: 'sources[0].refresh', value: '5 minutes' });
    expect(error.file).toBe(join(dir, 'tidings.yaml'));
    expect(error).toBeInstanceOf(TidingsError);
  });

  it('a duration under the minimum, and one of the wrong type', () => {
    expect(failure(`${SOURCE}    refresh: 500ms\n`).message).toContain(
      'sources[0].refresh: "500ms" is too short (minimum 1s)',
    );
    expect(failure(`${SOURCE}    refresh: true\n`).message).toContain(
      'sources[0].refresh: expected a duration like 30m, got true',
    );
  });

  it('an unknown key, with the likely intended one', () => {
    const error = failure(`${SOURCE}    refersh: 10m\n`);
    expect(error.message).toContain('sources[0].refersh: unknown key (did you mean "refresh"?)');
    expect(error).toMatchObject({ path: 'sources[0].refersh', value: '10m' });
    expect(failure(`${SOURCE}    full_text: false\n`).message).toContain('(did you mean "fullText"?)');
    expect(failure(`publicURL: https://a.org\n${SOURCE}`).message).toContain(
      'publicURL: unknown key (did you mean "publicUrl"?)',
    );
    expect(failure(`${SOURCE}    feedsize: 10\n`).message).toContain('(did you mean "feedSize"?)');
    expect(failure(`${SOURCE}    retention: { keep: 3 }\n`).message).toContain(
      'sources[0].retention.keep: unknown key (known here: maxArticles, maxAge)',
    );
  });

  it('a feedSize that is not a whole number from 1 to 500', () => {
    expect(failure(`${SOURCE}    feedSize: 0\n`).message).toContain(
      'sources[0].feedSize: 0 is too small (minimum 1)',
    );
    expect(failure(`${SOURCE}    feedSize: 501\n`).message).toContain(
      'sources[0].feedSize: 501 is too large (maximum 500)',
    );
    expect(failure(`${SOURCE}    feedSize: 2.5\n`).message).toContain('sources[0].feedSize:');
  });

  it('duplicate ids', () => {
    const error = failure(`${SOURCE}  - id: news\n    url: https://example.org/other/\n`);
    expect(error.message).toContain('sources[1].id: "news" is already the id of sources[0]');
    expect(error).toMatchObject({ path: 'sources[1].id', value: 'news' });
  });

  it.each([
    ['/news/', 'sources[0].url: "/news/" is not an absolute http(s) URL'],
    ['ftp://example.org/news/', 'sources[0].url: "ftp://example.org/news/" is not an absolute http(s) URL'],
    ['example.org/news', 'sources[0].url: "example.org/news" is not an absolute http(s) URL'],
  ])('a bad url: %s', (url, message) => {
    expect(failure(`sources:\n  - id: news\n    url: ${url}\n`).message).toContain(message);
  });

  it('a bad publicUrl or hub', () => {
    expect(failure(`publicUrl: https://a.org/?x=1\n${SOURCE}`).message).toContain(
      'publicUrl: "https://a.org/?x=1" must not have a query or fragment',
    );
    expect(failure(`hub: not a url\n${SOURCE}`).message).toContain(
      'hub: "not a url" is not an absolute http(s) URL',
    );
  });

  it('an unknown profile', () => {
    expect(failure(`${SOURCE}    profile: tj-educaton\n`).message).toContain(
      'sources[0].profile: "tj-educaton" is not a known profile (did you mean "tj-education"?)',
    );
    expect(failure(`${SOURCE}    profile: wordpress\n`).message).toContain(
      'sources[0].profile: "wordpress" is not a known profile (known: tj-education, trs, hanweb, auto)',
    );
  });

  it('a written profile with a bad selector, pattern or key, by its path', () => {
    const profile = (lines: string) => failure(`${SOURCE}    profile:\n${lines}`).message;
    const list = (item: string, link = 'a') =>
      `      list:\n        item: ${item}\n        title: a\n        link: ${link}\n        date: span\n`;
    expect(profile(list('"li["'))).toContain(
      'sources[0].profile.list.item: "li[" is not a valid CSS selector',
    );
    expect(profile(list('li', '{ selector: a, attribute: onclick, pattern: "(" }'))).toContain(
      'sources[0].profile.list.link.pattern: not a valid regular expression',
    );
    expect(profile('      pagination: { firstIndex: abc }\n')).toContain(
      'sources[0].profile.pagination.firstIndex: expected a number, got "abc"',
    );
    expect(profile('      timeZone: Beijing\n')).toContain(
      'sources[0].profile.timeZone: "Beijing" is not an IANA time zone',
    );
    expect(profile('      lists: {}\n')).toContain(
      'sources[0].profile.lists: unknown key (did you mean "list"?)',
    );
    expect(profile(`${list('li')}        titles: a\n`)).toContain(
      'sources[0].profile.list.titles: unknown key (did you mean "title"?)',
    );
  });

  it('a missing snapshot directory, or a file in its place', () => {
    const missing = failure(`${SOURCE}    snapshot: ./mirror\n`);
    expect(missing.message).toContain(`sources[0].snapshot: "./mirror" does not exist`);
    expect(missing.message).toContain(join(dir, 'mirror'));
    configFile('not a directory', 'mirror.txt');
    expect(failure(`${SOURCE}    snapshot: mirror.txt\n`).message).toContain(
      'sources[0].snapshot: "mirror.txt" is not a directory',
    );
  });

  it('a bad id, pages out of range, a wrong type, a missing url', () => {
    const error = failure(`
sources:
  - id: My Feed
    url: https://example.org/
    pages: 51
    enabled: yes
  - id: ok
`);
    const lines = error.message.split('\n');
    expect(lines).toEqual([
      expect.stringContaining('sources[0].id: "My Feed" is not a valid id'),
      expect.stringContaining('sources[0].enabled: expected true or false, got "yes"'),
      expect.stringContaining('sources[0].pages: 51 is too large (maximum 50)'),
      expect.stringContaining('sources[1].url: missing (required)'),
    ]);
    for (const line of lines) expect(line.startsWith(`${join(dir, 'tidings.yaml')}: sources[`)).toBe(true);
    expect(error).toMatchObject({ path: 'sources[0].id', value: 'My Feed' });
  });

  it('no sources', () => {
    expect(failure('publicUrl: https://a.org\n').message).toContain('sources: missing (required)');
    expect(failure('sources: []\n').message).toContain('sources: needs at least 1 entry');
    expect(failure('- just\n- a list\n').message).toContain(
      'expected a mapping (key: value lines), got a list',
    );
  });

  it('an empty file', () => {
    expect(failure('# nothing here\n')).toMatchObject({ code: 'empty-file' });
  });

  it('YAML syntax errors, with line and column', () => {
    const error = failure('sources:\n  - id: news\n    id: again\n');
    expect(error.code).toBe('yaml-syntax');
    expect(error.message).toMatch(
      /tidings\.yaml: line 3, column 5: YAML syntax error: Map keys must be unique/,
    );
    expect(failure('sources:\n  - id: news\n   url: https://example.org/\n').message).toMatch(
      /line 3, column \d+: YAML syntax error/,
    );
  });

  it('a missing file, with its resolved path', () => {
    const error = (() => {
      try {
        loadConfig({ file: 'no-such-dir/tidings.yaml', env: {} });
      } catch (caught) {
        return caught as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.code).toBe('missing-file');
    expect(error?.message).toBe(
      `no-such-dir/tidings.yaml: no such config file (looked for ${resolve('no-such-dir/tidings.yaml')})`,
    );
  });

  it('a directory given as the file', () => {
    expect(() => loadConfig({ file: dir, env: {} })).toThrow(
      expect.objectContaining({ code: 'unreadable-file' }),
    );
  });

  it.each(['abc', '0', '65536', '-1', '80.5'])('a bad PORT: %s', (port) => {
    const error = failure(SOURCE, { PORT: port });
    expect(error).toMatchObject({ code: 'bad-env', path: 'PORT', value: port });
    expect(error.message).toBe(`PORT: "${port}" is not a port number (use 1 to 65535)`);
  });
});

describe('loadConfig: the environment', () => {
  it('honours PORT and TIDINGS_DATA_DIR (relative to the working directory)', () => {
    const config = load(SOURCE, { PORT: '8080', TIDINGS_DATA_DIR: 'var/tidings' });
    expect(config.port).toBe(8080);
    expect(config.dataDir).toBe(resolve('var/tidings'));
    expect(load(SOURCE, { TIDINGS_DATA_DIR: '/srv/tidings' }).dataDir).toBe('/srv/tidings');
    expect(load(SOURCE, { PORT: '' }).port).toBe(3000);
  });

  it('reads TIDINGS_CONFIG when no file is given, and a given file over it', () => {
    const fromEnv = configFile('sources:\n  - id: from-env\n    url: https://example.org/\n', 'env.yaml');
    const given = configFile('sources:\n  - id: given\n    url: https://example.org/\n', 'given.yaml');
    expect(loadConfig({ env: { TIDINGS_CONFIG: fromEnv } }).sources[0]?.id).toBe('from-env');
    expect(loadConfig({ file: given, env: { TIDINGS_CONFIG: fromEnv } }).sources[0]?.id).toBe('given');
  });
});

describe('the bundled default config', () => {
  it('is found next to the package and loads: the demo snapshot on, the live site off', () => {
    expect(bundledConfigPath()).toBe(resolve(import.meta.dirname, '../config/default.yaml'));
    const config = loadConfig({ env: {} });
    expect(config.sources.map((source) => [source.id, source.enabled])).toEqual([
      ['demo', true],
      ['tjjy', false],
    ]);
    const [demo, live] = config.sources;
    expect(demo).toMatchObject({
      url: 'https://jy.tj.gov.cn/JYXW/TJJY/',
      pages: 3,
      refreshMs: 30 * 60_000,
      fullText: true,
      allowPrivateNetwork: true,
      title: '天津教育 – 天津市教育委员会 (demo snapshot)',
    });
    expect(isAbsolute(demo!.snapshot!)).toBe(true);
    expect(statSync(demo!.snapshot!).isDirectory()).toBe(true);
    expect(existsSync(join(demo!.snapshot!, 'JYXW/TJJY/index.html'))).toBe(true);
    expect(live).toMatchObject({ url: 'https://jy.tj.gov.cn/JYXW/TJJY/', pages: 3, refreshMs: 3_600_000 });
    expect(live?.snapshot).toBeUndefined();
  });
});

describe('limits and rate limiting', () => {
  it('are optional; given, they are validated and converted', () => {
    const defaults = load(SOURCE);
    expect(defaults.limits).toBeUndefined();
    expect(defaults.rateLimit).toBeUndefined();
    const config = load(
      `${SOURCE}limits:\n  pageBytes: 2097152\n  fetchTimeout: 10s\n  articlePagesPerRun: 50\nrateLimit:\n  perMinute: 120\n`,
    );
    expect(config.limits).toEqual({
      pageBytes: 2_097_152,
      fetchTimeoutMs: 10_000,
      redirects: 5,
      articlesPerPage: 1000,
      articlePagesPerRun: 50,
      articleTextChars: 200_000,
    });
    expect(config.rateLimit).toEqual({ perMinute: 120, burst: 120, trustProxy: false });
    expect(load(`${SOURCE}rateLimit: false\n`).rateLimit).toBe(false);
  });

  it('name the bad key and value', () => {
    expect(failure(`${SOURCE}limits:\n  pageBytes: 10\n`).message).toMatch(/limits\.pageBytes/);
    expect(failure(`${SOURCE}limits:\n  fetchTimout: 10s\n`).message).toMatch(
      /limits.*fetchTimout.*fetchTimeout/s,
    );
    expect(failure(`${SOURCE}rateLimit:\n  perMinute: 0\n`).message).toMatch(/rateLimit\.perMinute/);
  });
});
