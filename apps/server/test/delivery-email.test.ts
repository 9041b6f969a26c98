// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${TIDINGS_…}` is the config syntax under test
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test/support/server.js';
import { type DemoServer, PUBLIC_URL, startDemo } from './delivery-support.js';

interface Arrived {
  raw: string;
  to: string[];
  mail: ParsedMail;
}

/** A real SMTP server on 127.0.0.1 (no TLS), with a login, keeping every message it accepts. */
async function startSmtp(): Promise<{
  port: number;
  arrived: Arrived[];
  logins: string[];
  close(): Promise<void>;
}> {
  const arrived: Arrived[] = [];
  const logins: string[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      logins.push(auth.username ?? '');
      if (auth.username === 'tidings' && auth.password === 'smtp-pass-4711')
        callback(null, { user: 'tidings' });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const to = session.envelope.rcptTo.map((each) => each.address);
        simpleParser(raw).then(
          (mail) => {
            arrived.push({ raw, to, mail });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    arrived,
    logins,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A header's value as sent (folded lines joined). */
function header(raw: string, name: string): string {
  const head = raw.slice(0, raw.search(/\r?\n\r?\n/));
  const line = new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head)?.[1] ?? '';
  return line.replace(/\r?\n[ \t]+/g, ' ').trim();
}

const TITLE = '天津教育 – 天津市教育委员会 (demo snapshot)';

describe('email pushes through a real SMTP server', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let demo: DemoServer;
  let feed: {
    items: { id: string; title: string; url: string; content_text: string; content_html: string }[];
  };

  beforeAll(async () => {
    smtp = await startSmtp();
    const server = `smtp://tidings:\${TIDINGS_SMTP_PASSWORD}@127.0.0.1:${smtp.port}`;
    demo = await startDemo([
      { email: 'reader@example.org', smtp: server, from: '天津教育推送 <news@example.org>' },
      { email: ['one@example.org', 'two@example.net'], smtp: server, mode: 'item' },
    ]);
    await waitFor(async () => {
      const { deliveries } = await demo.health();
      return deliveries.length === 2 && deliveries.every((each) => each.delivered === 1) ? true : undefined;
    }, 30_000);
    feed = (await (await fetch(`${demo.url}/feeds/demo.json`)).json()) as typeof feed;
  });
  afterAll(async () => {
    await demo?.dispose();
    await smtp?.close();
  });

  const digests = () => smtp.arrived.filter((each) => each.to.includes('reader@example.org'));
  const items = () => smtp.arrived.filter((each) => each.to.includes('one@example.org'));

  it('logs in with the password read from the environment', () => {
    expect(smtp.logins.length).toBeGreaterThan(0);
    expect(new Set(smtp.logins)).toEqual(new Set(['tidings']));
  });

  it('sends one digest with a text and an HTML part listing every new article', () => {
    expect(digests()).toHaveLength(1);
    const [{ mail }] = digests() as [Arrived];
    expect(feed.items).toHaveLength(37);
    for (const item of feed.items) {
      expect(mail.text).toContain(item.title);
      expect(mail.text).toContain(item.url);
      expect(mail.html || '').toContain(`href="${item.url}"`);
    }
    expect(mail.text).toContain(`${TITLE} · 37 篇新文章`);
    expect(mail.text).toContain(`${PUBLIC_URL}/feeds/demo`);
    expect(mail.from?.value).toEqual([{ address: 'news@example.org', name: '天津教育推送' }]);
  });

  it('writes the Chinese subject as UTF-8 encoded words that decode exactly', () => {
    const [{ mail, raw }] = digests() as [Arrived];
    expect(mail.subject).toBe(`[${TITLE}] ${feed.items[0]?.title} 等 37 篇`);
    const subjectLines = /^Subject:(.*(?:\r?\n[ \t].*)*)/im.exec(raw)?.[1] ?? '';
    expect(subjectLines).toMatch(/=\?UTF-8\?[BQ]\?/i);
    expect(/^[\x20-\x7e\r\n\t]*$/.test(subjectLines)).toBe(true);
  });

  it('carries List-Unsubscribe (a mailto to the sender and the feed page), a Message-ID from the idempotency key, and Auto-Submitted', () => {
    const [{ mail, raw }] = digests() as [Arrived];
    const key = mail.headers.get('x-tidings-delivery') as string;
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(mail.messageId).toBe(`<${key}@example.org>`);
    const unsubscribe = header(raw, 'List-Unsubscribe');
    expect(unsubscribe).toBe(
      `<mailto:news@example.org?subject=unsubscribe%20demo>, <${PUBLIC_URL}/feeds/demo>`,
    );
    expect(header(raw, 'List-ID')).toContain('<demo.feeds.example.org>');
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
  });

  it('sends one message per article in item mode, to every address, each with its own Message-ID', () => {
    const messages = items();
    expect(messages).toHaveLength(37);
    expect(messages.every((each) => each.to.includes('two@example.net'))).toBe(true);
    expect(new Set(messages.map((each) => each.mail.subject))).toEqual(
      new Set(feed.items.map((item) => `[${TITLE}] ${item.title}`)),
    );
    const key = messages[0]?.mail.headers.get('x-tidings-delivery') as string;
    expect(new Set(messages.map((each) => each.mail.messageId))).toEqual(
      new Set(feed.items.map((_, index) => `<${key}.${index + 1}@127.0.0.1>`)),
    );
    const newest = feed.items[0]!;
    const first = messages.find((each) => each.mail.subject === `[${TITLE}] ${newest.title}`);
    expect(first?.mail.text).toContain(newest.content_text.slice(0, 200));
    expect(first?.mail.html).toContain(newest.content_html.slice(0, 200));
    expect(first?.mail.from?.value[0]?.address).toBe('tidings@127.0.0.1');
  });

  it('shows each destination in /healthz without the password or the addresses', async () => {
    const { deliveries } = await demo.health();
    expect(deliveries.map((each) => each.target)).toEqual([
      'mail to …@example.org (digest)',
      'mail to …@example.org, …@example.net (item)',
    ]);
    const health = JSON.stringify(deliveries);
    expect(health).not.toContain('smtp-pass-4711');
    expect(health).not.toContain('reader@');
  });
});
