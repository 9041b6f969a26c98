import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { FetchError, Fetcher, type FetcherOptions } from '../src/index.js';

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  /** Every request the server received, in order. */
  requests: IncomingMessage[];
  /** Paths of the requests received, in order. */
  paths(): string[];
  close(): Promise<void>;
}

const cleanups: Array<() => Promise<void>> = [];

/** Closes every server and fetcher the test made: call from afterEach. */
export async function closeAll(): Promise<void> {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
}

/** A real HTTP server on 127.0.0.1, on a free port. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: IncomingMessage[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(request);
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  cleanups.push(close);
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    paths: () => requests.map((request) => request.url ?? ''),
    close,
  };
}

/** A Fetcher tuned for fast tests against loopback servers; closed by closeAll. */
export function testFetcher(options: FetcherOptions = {}): Fetcher {
  const fetcher = new Fetcher({
    allowPrivateNetwork: true,
    robots: false,
    retryBaseMs: 1,
    perHostDelayMs: 0,
    ...options,
  });
  cleanups.push(() => fetcher.close());
  return fetcher;
}

/** The FetchError a promise rejects with; fails the test when it resolves or throws something else. */
export async function fetchError(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(FetchError);
    return error as FetchError;
  }
  throw new Error('expected a FetchError, but the fetch succeeded');
}

export function html(text: string): string {
  return `<!doctype html><html><body>${text}</body></html>`;
}

/** Sends a small HTML page. */
export function page(response: ServerResponse, text: string, headers: Record<string, string> = {}): void {
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers });
  response.end(html(text));
}

export function decode(body: Uint8Array): string {
  return new TextDecoder().decode(body);
}

export const MiB = 1024 * 1024;
