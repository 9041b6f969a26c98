// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${TIDINGS_…}` is the config syntax under test
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import type { SourceConfig } from '../src/config/types.js';
import { ConfigError } from '../src/errors.js';
import { redactSecrets, sourceHeaders } from '../src/refresh/source-requests.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tidings-config-requests-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const SECRET = 'c2Vzc2lvbi1zZWNyZXQ';

function source(lines: string, env: NodeJS.ProcessEnv = {}): SourceConfig {
  const file = join(dir, 'tidings.yaml');
  writeFileSync(file, `sources:\n  - id: news\n    url: https://www.example.gov.cn/news/\n${lines}`);
  return loadConfig({ file, env }).sources[0] as SourceConfig;
}

function failure(lines: string, env: NodeJS.ProcessEnv = {}): ConfigError {
  try {
    source(lines, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected the config to be rejected');
}

describe('render, headers and cookies in a source', () => {
  it('reads render: browser; a source without it reads the served HTML', () => {
    expect(source('    render: browser\n').render).toBe('browser');
    expect(source('').render).toBeUndefined();
    expect(failure('    render: chrome\n').message).toContain(
      'sources[0].render: "chrome" is not a way to render pages (only browser; leave render out to read the served HTML)',
    );
  });

  it('fills in ${TIDINGS_…} from the environment, inside text too', () => {
    const read = source(
      [
        '    headers:',
        '      Referer: https://www.example.gov.cn/',
        '      Authorization: Bearer ${TIDINGS_NEWS_TOKEN}',
        '    cookies:',
        '      JSESSIONID: ${TIDINGS_NEWS_SESSION}',
        '',
      ].join('\n'),
      { TIDINGS_NEWS_TOKEN: 't-1', TIDINGS_NEWS_SESSION: SECRET },
    );
    expect(read.headers).toEqual({ Referer: 'https://www.example.gov.cn/', Authorization: 'Bearer t-1' });
    expect(read.cookies).toEqual({ JSESSIONID: SECRET });
  });

  it('a missing variable is an error naming the key and the variable', () => {
    const error = failure('    cookies:\n      JSESSIONID: ${TIDINGS_NEWS_SESSION}\n');
    expect(error.message).toContain(
      'sources[0].cookies.JSESSIONID: ${TIDINGS_NEWS_SESSION} is not set in the environment',
    );
    expect(error.path).toBe('sources[0].cookies.JSESSIONID');
  });

  it('only TIDINGS_ variables may be read', () => {
    expect(failure('    headers:\n      X-Home: ${HOME}\n', { HOME: '/root' }).message).toContain(
      'sources[0].headers.X-Home: ${HOME}: only environment variables whose names start with TIDINGS_ can be used',
    );
  });

  it("refuses the fetcher's own headers and a Cookie header, and never shows a value", () => {
    expect(failure('    headers:\n      User-Agent: Mozilla/5.0\n').message).toContain(
      'sources[0].headers.User-Agent: "User-Agent" is set by Tidings itself',
    );
    expect(failure(`    headers:\n      Cookie: a=${SECRET}\n`).message).toContain(
      'sources[0].headers.Cookie: put cookies under `cookies:` (name: value)',
    );
    const broken = failure('    headers:\n      X-Token: ${TIDINGS_TOKEN}\n', {
      TIDINGS_TOKEN: `${SECRET}\r\nX: 1`,
    });
    expect(broken.message).toContain('sources[0].headers.X-Token: the value must be one line');
    const semicolon = failure('    cookies:\n      sid: ${TIDINGS_SID}\n', {
      TIDINGS_SID: `${SECRET}; admin=1`,
    });
    expect(semicolon.message).toContain('sources[0].cookies.sid: the value must not hold ";"');
    for (const error of [broken, semicolon]) {
      expect(error.message).not.toContain(SECRET);
      expect(error.value).toBeUndefined();
    }
  });
});

describe("a source's headers go to its own site only, and never into a log line", () => {
  const read = () =>
    source(
      '    headers:\n      Referer: https://www.example.gov.cn/\n    cookies:\n      sid: ${TIDINGS_SID}\n      lang: zh\n',
      {
        TIDINGS_SID: SECRET,
      },
    );

  it('for the source host and its subdomains, not for another site', () => {
    const headersFor = sourceHeaders(read());
    const sent = { Referer: 'https://www.example.gov.cn/', cookie: `sid=${SECRET}; lang=zh` };
    expect(headersFor('https://www.example.gov.cn/news/index.html')).toEqual(sent);
    expect(headersFor('https://example.gov.cn/a.html')).toEqual(sent);
    expect(headersFor('https://jy.example.gov.cn/b.html')).toEqual(sent);
    expect(headersFor('https://cdn.other.com/app.js')).toBeUndefined();
    expect(headersFor('https://notexample.gov.cn/')).toBeUndefined();
    expect(sourceHeaders(source(''))('https://www.example.gov.cn/')).toBeUndefined();
  });

  it('redacts their values', () => {
    const redact = redactSecrets(read());
    expect(redact(`GET https://www.example.gov.cn/?sid=${SECRET} answered 403`)).toBe(
      'GET https://www.example.gov.cn/?sid=[redacted] answered 403',
    );
    // Values too short to be secrets stay.
    expect(redact('lang zh')).toBe('lang zh');
  });
});
