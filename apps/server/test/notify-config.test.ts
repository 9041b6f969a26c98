// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${TIDINGS_…}` is the config syntax under test
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../src/config/load.js';
import { ConfigError } from '../src/errors.js';

const SECRET = 'hook-secret-0123456789abcdef';
const ENV = { TIDINGS_HOOK_SECRET: SECRET, TIDINGS_SMTP_PASSWORD: 'p@ss:word/1' };

function parse(notify: string, extra = '', env: NodeJS.ProcessEnv = ENV) {
  const text = [
    'sources:',
    '  - id: news',
    '    url: https://www.example.edu.cn/xwzx/',
    '    notify:',
    ...notify.split('\n').map((line) => `      ${line}`),
    extra,
  ].join('\n');
  return parseConfigText(text, 'tidings.yaml', env).config;
}

function problem(notify: string, extra = '', env: NodeJS.ProcessEnv = ENV): string {
  try {
    parse(notify, extra, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

describe('notify: in the config', () => {
  it('reads webhooks and mail destinations, with defaults, secrets from the environment and stable ids', () => {
    const { sources } = parse(
      [
        '- webhook: https://hooks.example.org/t/abc',
        '  secret: ${TIDINGS_HOOK_SECRET}',
        '- email: [a@example.org, b@example.net]',
        '  smtp: smtps://news%40example.org:${TIDINGS_SMTP_PASSWORD}@smtp.example.org',
        '- email: c@example.org',
        '  smtp: smtp://relay.example.org:25',
        '  from: 天津教育 <news@example.org>',
        '  mode: item',
        '  edited: true',
      ].join('\n'),
    );
    const [webhook, digest, item] = sources[0]?.notify ?? [];
    expect(webhook).toEqual({
      kind: 'webhook',
      id: expect.stringMatching(/^news:webhook:[0-9a-f]{8}$/),
      url: 'https://hooks.example.org/t/abc',
      secret: SECRET,
      allowPrivateNetwork: false,
      edited: true,
    });
    expect(digest).toMatchObject({
      kind: 'email',
      to: ['a@example.org', 'b@example.net'],
      smtp: 'smtps://news%40example.org:p%40ss%3Aword%2F1@smtp.example.org',
      from: 'news@example.org',
      mode: 'digest',
      edited: false,
    });
    expect(item).toMatchObject({ from: '天津教育 <news@example.org>', mode: 'item', edited: true });
    // Same target, same id, whatever else changes.
    const again = parse(
      ['- webhook: https://hooks.example.org/t/abc', '  secret: another-secret-0123456789'].join('\n'),
    );
    expect(again.sources[0]?.notify?.[0]?.id).toBe(webhook?.id);
  });

  it('reads delivery settings, with defaults', () => {
    const hook = ['- webhook: https://hooks.example.org/', '  secret: ${TIDINGS_HOOK_SECRET}'].join('\n');
    expect(parse(hook).delivery).toBeUndefined();
    expect(parse(hook, 'delivery:\n  attempts: 3\n  backoff: 10s').delivery).toEqual({
      attempts: 3,
      backoffMs: 10_000,
      maxBackoffMs: 3_600_000,
      timeoutMs: 15_000,
    });
    expect(problem(hook, 'delivery:\n  atempts: 3')).toContain(
      'delivery.atempts: unknown key (did you mean "attempts"?)',
    );
  });

  it('never shows a secret, a password or a webhook URL in a message', () => {
    const short = problem(['- webhook: https://hooks.example.org/t/0123', '  secret: tooshort'].join('\n'));
    expect(short).toContain('sources[0].notify[0].secret: the secret must be at least 16 characters');
    expect(short).not.toContain('tooshort');
    const missing = problem(
      ['- webhook: https://hooks.example.org/', '  secret: ${TIDINGS_NOPE}'].join('\n'),
    );
    expect(missing).toContain('${TIDINGS_NOPE} is not set in the environment');
    const badUrl = problem(
      ['- webhook: ftp://hooks.example.org/t/s3cr3t', '  secret: ${TIDINGS_HOOK_SECRET}'].join('\n'),
    );
    expect(badUrl).toContain('sources[0].notify[0].webhook: the webhook is not an absolute http(s) URL');
    expect(badUrl).not.toContain('s3cr3t');
    const badSmtp = problem(
      ['- email: a@example.org', '  smtp: https://u:hunter2@smtp.example.org'].join('\n'),
    );
    expect(badSmtp).toContain('sources[0].notify[0].smtp: smtp must be smtp://');
    expect(badSmtp).not.toContain('hunter2');
  });

  it('names what is wrong: an entry of neither kind, a misspelt key, a bad address or mode, a target given twice', () => {
    expect(problem('- url: https://hooks.example.org/')).toContain(
      'sources[0].notify[0]: each notify entry is { webhook: <URL>, secret: … } or { email: <address>, smtp: smtp://… }',
    );
    expect(
      problem(
        [
          '- webhook: https://hooks.example.org/',
          '  secret: ${TIDINGS_HOOK_SECRET}',
          '  allowPrivateNetwrok: true',
        ].join('\n'),
      ),
    ).toContain(
      'sources[0].notify[0].allowPrivateNetwrok: unknown key (did you mean "allowPrivateNetwork"?)',
    );
    expect(problem(['- email: not-an-address', '  smtp: smtp://relay.example.org'].join('\n'))).toContain(
      '"not-an-address" is not an email address',
    );
    expect(
      problem(['- email: a@example.org', '  smtp: smtp://relay.example.org', '  mode: weekly'].join('\n')),
    ).toContain('sources[0].notify[0].mode');
    const twice = ['- webhook: https://hooks.example.org/', '  secret: ${TIDINGS_HOOK_SECRET}'].join('\n');
    expect(problem(`${twice}\n${twice}`)).toContain(
      'sources[0].notify[1]: the same webhook target as notify[0]',
    );
  });

  it('takes notify on a derived feed too', () => {
    const config = parse(
      '[]',
      [
        'feeds:',
        '  - id: news-zhaosheng',
        '    source: news',
        '    include: [招生]',
        '    notify:',
        '      - webhook: https://hooks.example.org/zs',
        '        secret: ${TIDINGS_HOOK_SECRET}',
      ].join('\n'),
    );
    expect(config.sources[0]?.notify).toBeUndefined();
    expect(config.feeds?.[0]?.notify?.[0]).toMatchObject({
      kind: 'webhook',
      id: expect.stringMatching(/^news-zhaosheng:webhook:/),
    });
  });
});
