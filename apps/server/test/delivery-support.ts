import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { loadConfig } from '../src/config/load.js';
import { createLogger } from '../src/logger.js';
import { startServer, type TidingsServer } from '../src/server.js';

const DEFAULT_CONFIG = fileURLToPath(new URL('../config/default.yaml', import.meta.url));
const SNAPSHOT = fileURLToPath(new URL('../../../test/fixtures/jy.tj.gov.cn', import.meta.url));
/** The demo's publicUrl: the links pushes carry. */
export const PUBLIC_URL = 'https://feeds.example.org';
export const HOOK_SECRET = 'test-hook-secret-0123456789abcdef';

/** One POST as the receiver got it. */
export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw bytes, as signed. */
  body: Buffer;
  at: number;
}

export interface Receiver {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  received: Received[];
  close(): Promise<void>;
}

/** A webhook receiver on 127.0.0.1; `answer` decides each reply (the n-th request is `received.length - 1`). */
export async function startReceiver(
  answer: (request: Received, response: ServerResponse) => void = (_, response) => {
    response.writeHead(204).end();
  },
): Promise<Receiver> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = {
        path: request.url ?? '/',
        headers: request.headers,
        body: Buffer.concat(chunks),
        at: Date.now(),
      };
      received.push(entry);
      answer(entry, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Whether the request's X-Tidings-Signature is the HMAC-SHA256 of its raw body with `secret`, as a receiver checks it. */
export function validSignature(request: Received, secret = HOOK_SECRET): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(request.body).digest('hex')}`);
  const given = Buffer.from(String(request.headers['x-tidings-signature'] ?? ''));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface DemoServer {
  server: TidingsServer;
  url: string;
  health(): Promise<HealthBody>;
  metrics(): Promise<string>;
  dispose(): Promise<void>;
}

export interface DeliveryStatusBody {
  id: string;
  feed: string;
  kind: string;
  target: string;
  pending: number;
  failed: number;
  delivered: number;
  lastSuccessAt: string | null;
  lastError: string | null;
  consecutiveFailures: number;
}

interface HealthBody {
  feeds: { id: string; articles: number; lastSuccessAt: string | null }[];
  deliveries: DeliveryStatusBody[];
}

/**
 * The real server on the bundled demo config (`config/default.yaml`: the `demo` source read from
 * the snapshot), with `notify` entries on the demo source and `delivery` settings, read through
 * the config loader. It refreshes on its own schedule, as on a first start.
 */
export async function startDemo(
  notify: Record<string, unknown>[],
  delivery: Record<string, unknown> = {},
  extra: (document: ReturnType<typeof parseDocument>) => void = () => {},
): Promise<DemoServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-delivery-'));
  const document = parseDocument(readFileSync(DEFAULT_CONFIG, 'utf8'));
  document.setIn(['sources', 0, 'snapshot'], SNAPSHOT);
  document.setIn(['sources', 0, 'notify'], document.createNode(notify));
  document.set('delivery', document.createNode(delivery));
  document.set('publicUrl', PUBLIC_URL);
  extra(document);
  const file = join(dir, 'tidings.yaml');
  writeFileSync(file, document.toString());
  const env = { TIDINGS_HOOK_SECRET: HOOK_SECRET, TIDINGS_SMTP_PASSWORD: 'smtp-pass-4711' };
  const config = { ...loadConfig({ file, env }), port: 0, dataDir: join(dir, 'data') };
  const server = await startServer(config, {
    logger: createLogger('silent'),
    host: '127.0.0.1',
    env,
    watchConfig: false,
  });
  return {
    server,
    url: server.url,
    health: async () => (await (await fetch(`${server.url}/healthz`)).json()) as HealthBody,
    metrics: async () => (await fetch(`${server.url}/metrics`)).text(),
    dispose: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
