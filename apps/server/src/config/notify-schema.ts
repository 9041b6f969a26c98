import { createHash } from 'node:crypto';
import { z } from 'zod';
import { expandReferences } from './request-headers.js';
import { show } from './show.js';
import {
  DEFAULT_DELIVERY,
  type DeliverySettings,
  type EmailNotifyConfig,
  type NotifyConfig,
  type WebhookNotifyConfig,
} from './types.js';

export const WEBHOOK_KEYS = ['webhook', 'secret', 'allowPrivateNetwork', 'edited'] as const;
export const EMAIL_KEYS = ['email', 'smtp', 'from', 'mode', 'edited'] as const;
export const DELIVERY_KEYS = ['attempts', 'backoff', 'maxBackoff', 'timeout'] as const;
/** An HMAC key shorter than this is guessable. */
export const MIN_SECRET_LENGTH = 16;
const MAX_DESTINATIONS = 20;
const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;
const HIDDEN = '(hidden)';

/** A notify entry before it knows its feed (its id needs the feed's). */
type UnnamedNotify = Omit<WebhookNotifyConfig, 'id'> | Omit<EmailNotifyConfig, 'id'>;

/**
 * A feed's `notify:` list: `{ webhook, secret, allowPrivateNetwork?, edited? }` and
 * `{ email, smtp, from?, mode?, edited? }` entries, told apart by their first key. The webhook
 * URL, `secret` and `smtp` may hold `${TIDINGS_…}` references (read from `env`); messages never
 * show their values. Pass the result to `nameDestinations` with the feed's id.
 */
export function notifySchema(env: NodeJS.ProcessEnv) {
  const webhook = z.strictObject({
    webhook: secretText(env, 'the webhook URL').pipe(webhookUrl()),
    secret: secretText(env, 'the secret').pipe(hmacSecret()),
    allowPrivateNetwork: z.boolean().default(false),
    edited: z.boolean().default(true),
  } satisfies Record<(typeof WEBHOOK_KEYS)[number], z.ZodType>);
  const email = z.strictObject({
    email: addresses(),
    // The environment's values go into the URL percent-encoded: a password is written as it is.
    smtp: secretText(urlEncoded(env), 'the smtp URL').pipe(smtpUrl()),
    from: sender().optional(),
    mode: z.enum(['digest', 'item']).default('digest'),
    edited: z.boolean().default(false),
  } satisfies Record<(typeof EMAIL_KEYS)[number], z.ZodType>);

  const entry = z.unknown().transform((input, context): UnnamedNotify => {
    const kind =
      input !== null && typeof input === 'object' && !Array.isArray(input)
        ? 'webhook' in input
          ? 'webhook'
          : 'email' in input
            ? 'email'
            : undefined
        : undefined;
    if (!kind) {
      context.addIssue({
        code: 'custom',
        input,
        message: 'each notify entry is { webhook: <URL>, secret: … } or { email: <address>, smtp: smtp://… }',
      });
      return z.NEVER;
    }
    const parsed = (kind === 'webhook' ? webhook : email).safeParse(input, { reportInput: true });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) context.addIssue({ ...issue });
      return z.NEVER;
    }
    if ('webhook' in parsed.data) {
      const { webhook: url, ...rest } = parsed.data;
      return { kind: 'webhook', url, ...rest };
    }
    const { email: to, smtp, from, ...rest } = parsed.data;
    return { kind: 'email', to, smtp, from: from ?? defaultFrom(smtp), ...rest };
  });
  return z.array(entry).max(MAX_DESTINATIONS);
}

/**
 * Gives each entry its id, `<feed>:<kind>:<8 hex>` from a hash of its target (the webhook URL,
 * the addresses): stable across restarts and edits of anything else, so its pending pushes stay
 * its own. Two entries for one target are refused.
 */
export function nameDestinations(
  feedId: string,
  entries: readonly UnnamedNotify[],
  context: z.RefinementCtx,
  path: PropertyKey[],
): NotifyConfig[] {
  const seen = new Map<string, number>();
  // An entry that failed with a key zod still lets through (an unknown one) arrives as z.NEVER:
  // the parse fails anyway, so it is only skipped here.
  return entries.flatMap((entry, index) => {
    if (entry?.kind !== 'webhook' && entry?.kind !== 'email') return [];
    const target = entry.kind === 'webhook' ? entry.url : [...entry.to].sort().join(',');
    const hash = createHash('sha256').update(`${feedId}\n${entry.kind}\n${target}`).digest('hex').slice(0, 8);
    const id = `${feedId}:${entry.kind}:${hash}`;
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      context.addIssue({
        code: 'custom',
        path: [...path, index],
        input: HIDDEN,
        message: `the same ${entry.kind} target as notify[${earlier}]: each destination once`,
      });
    }
    seen.set(id, index);
    return [{ ...entry, id } as NotifyConfig];
  });
}

/** The top-level `delivery:` settings: how hard pushes are tried. */
export function deliverySchema(duration: () => z.ZodType<number>) {
  return z
    .strictObject({
      attempts: z.int().min(1).max(100).default(DEFAULT_DELIVERY.attempts),
      backoff: duration().default(DEFAULT_DELIVERY.backoffMs),
      maxBackoff: duration().default(DEFAULT_DELIVERY.maxBackoffMs),
      timeout: duration().default(DEFAULT_DELIVERY.timeoutMs),
    } satisfies Record<(typeof DELIVERY_KEYS)[number], z.ZodType>)
    .transform(
      (raw): DeliverySettings => ({
        attempts: raw.attempts,
        backoffMs: raw.backoff,
        maxBackoffMs: Math.max(raw.backoff, raw.maxBackoff),
        timeoutMs: raw.timeout,
      }),
    );
}

/** A string with its `${TIDINGS_…}` references filled in; the value itself is never in a message. */
function secretText(env: NodeJS.ProcessEnv, what: string) {
  return z.unknown().transform((input, context) => {
    if (typeof input !== 'string' || input === '') {
      context.addIssue({ code: 'custom', input: HIDDEN, message: `${what} must be text` });
      return z.NEVER;
    }
    const value = expandReferences(input, env, (message) =>
      context.addIssue({ code: 'custom', input: HIDDEN, message }),
    );
    return value ?? z.NEVER;
  });
}

function urlEncoded(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).flatMap(([name, value]) =>
      name.startsWith('TIDINGS_') && value !== undefined ? [[name, encodeURIComponent(value)]] : [],
    ),
  );
}

function webhookUrl() {
  return z.string().transform((input, context) => {
    const url = URL.canParse(input) ? new URL(input) : undefined;
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      context.addIssue({
        code: 'custom',
        input: HIDDEN,
        message: 'the webhook is not an absolute http(s) URL (like https://hooks.example.org/tidings)',
      });
      return z.NEVER;
    }
    return url.href;
  });
}

function hmacSecret() {
  return z.string().superRefine((input, context) => {
    if (input.length >= MIN_SECRET_LENGTH) return;
    context.addIssue({
      code: 'custom',
      input: HIDDEN,
      message: `the secret must be at least ${MIN_SECRET_LENGTH} characters (openssl rand -hex 32); keep it in the environment as \${TIDINGS_…}`,
    });
  });
}

/** `smtp://user:pass@host:port` (STARTTLS when offered) or `smtps://…` (TLS from the start, port 465). */
function smtpUrl() {
  return z.string().transform((input, context) => {
    const url = URL.canParse(input) ? new URL(input) : undefined;
    if (!url || (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || url.hostname === '') {
      context.addIssue({
        code: 'custom',
        input: HIDDEN,
        message:
          'smtp must be smtp://user:password@host:port or smtps://… (the password may be $' +
          '{TIDINGS_…}, read from the environment)',
      });
      return z.NEVER;
    }
    return url.href;
  });
}

/** One address, or a list of them. */
function addresses() {
  return z.unknown().transform((input, context) => {
    const list = typeof input === 'string' ? [input] : Array.isArray(input) ? input : undefined;
    if (!list || list.length === 0 || list.length > MAX_DESTINATIONS) {
      context.addIssue({
        code: 'custom',
        input,
        message: `expected an email address or a list of at most ${MAX_DESTINATIONS}, got ${show(input)}`,
      });
      return z.NEVER;
    }
    const bad = list.find((each) => typeof each !== 'string' || !ADDRESS.test(each.trim()));
    if (bad !== undefined) {
      context.addIssue({
        code: 'custom',
        input: bad,
        message: `${show(bad)} is not an email address (like news@example.org)`,
      });
      return z.NEVER;
    }
    return (list as string[]).map((each) => each.trim());
  });
}

/** `news@example.org` or `天津教育 <news@example.org>`. */
function sender() {
  return z.string().refine((input) => ADDRESS.test(/<([^<>]+)>\s*$/.exec(input)?.[1] ?? input.trim()), {
    error: (issue) =>
      `${show(issue.input)} is not a sender (like news@example.org or "Tidings <news@example.org>")`,
  });
}

/** The SMTP login when it is an address (most providers require it as the sender), else tidings@<smtp host>. */
function defaultFrom(smtp: string): string {
  const url = new URL(smtp);
  const user = decodeURIComponent(url.username);
  return ADDRESS.test(user) ? user : `tidings@${url.hostname}`;
}
