import nodemailer from 'nodemailer';
import type { EmailNotifyConfig } from '../config/types.js';
import { digestEmail, type EmailContent, itemEmail } from './email-content.js';
import type { PushContent } from './push-content.js';
import type { SendResult } from './send-result.js';

/**
 * Sends pushes by mail through the destination's SMTP server with nodemailer: a digest, or one
 * message per item over one connection. Every message carries a Message-ID made from the
 * delivery's idempotency key (`<key@domain>`, `<key.N@domain>` per item), so a repeat after a
 * crash is the same message to the mail system; and List-Unsubscribe (see README).
 */
export class EmailSender {
  readonly #timeoutMs: number;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  async send(notify: EmailNotifyConfig, content: PushContent, listHost: string): Promise<SendResult> {
    const smtp = new URL(notify.smtp);
    const transport = nodemailer.createTransport({
      host: smtp.hostname,
      port: smtp.port ? Number(smtp.port) : smtp.protocol === 'smtps:' ? 465 : 587,
      secure: smtp.protocol === 'smtps:',
      ...(smtp.username && {
        auth: { user: decodeURIComponent(smtp.username), pass: decodeURIComponent(smtp.password) },
      }),
      connectionTimeout: this.#timeoutMs,
      greetingTimeout: this.#timeoutMs,
      socketTimeout: this.#timeoutMs,
    });
    const domain = senderDomain(notify.from);
    const messages: { content: EmailContent; messageId: string }[] =
      notify.mode === 'item'
        ? content.items.map((_, index) => ({
            content: itemEmail(content, index),
            messageId: `<${content.key}.${index + 1}@${domain}>`,
          }))
        : [{ content: digestEmail(content), messageId: `<${content.key}@${domain}>` }];
    try {
      for (const { content: message, messageId } of messages) {
        await transport.sendMail({
          from: notify.from,
          to: notify.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId,
          headers: { 'X-Tidings-Delivery': content.key, 'Auto-Submitted': 'auto-generated' },
          list: {
            id: { url: `${content.feedId}.${listHost}`, comment: content.channel.title },
            // One header, both ways: a mail to the sender asking to be taken off, and the feed's page.
            unsubscribe: [
              [
                `mailto:${senderAddress(notify.from)}?subject=${encodeURIComponent(`unsubscribe ${content.feedId}`)}`,
                content.pageUrl,
              ],
            ],
          },
        });
      }
      return { ok: true };
    } catch (error) {
      return smtpFailure(error, notify);
    } finally {
      transport.close();
    }
  }
}

/** What went wrong, without the password or whole addresses (a server's answer may echo them). */
function smtpFailure(error: unknown, notify: EmailNotifyConfig): SendResult {
  const { code, responseCode, response } = error as {
    code?: string;
    responseCode?: number;
    response?: string;
  };
  const smtp = new URL(notify.smtp);
  let text = `${response ?? (error instanceof Error ? error.message : String(error))}`.split('\n')[0] ?? '';
  if (smtp.password) text = text.split(decodeURIComponent(smtp.password)).join('***');
  text = text.replace(/[^\s<>@:;,]+@([^\s<>:;,]+)/g, '…@$1').slice(0, 300);
  const where = `smtp ${smtp.hostname}${smtp.port ? `:${smtp.port}` : ''}`;
  // A recipient the server refuses for good (5xx to RCPT TO) will be refused again.
  const permanent = code === 'EENVELOPE' && responseCode !== undefined && responseCode >= 500;
  return {
    ok: false,
    error: `${code ? `${code} ` : ''}${text} (${where})${permanent ? ': given up' : ''}`,
    retry: !permanent,
  };
}

function senderAddress(from: string): string {
  return (/<([^<>]+)>\s*$/.exec(from)?.[1] ?? from).trim();
}

function senderDomain(from: string): string {
  const address = senderAddress(from);
  return address.slice(address.lastIndexOf('@') + 1) || 'tidings.invalid';
}
