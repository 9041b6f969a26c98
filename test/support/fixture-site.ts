import { readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { FIXTURES } from './fixtures.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export interface SiteRequest {
  /** Path and query, as requested. */
  url: string;
  headers: IncomingHttpHeaders;
}

export type Route = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

export interface FixtureSite {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Every request that reached the site, in order. */
  requests: SiteRequest[];
  /** Paths (with query) requested. */
  paths(): string[];
  close(): Promise<void>;
}

/**
 * A folder of test/fixtures served on 127.0.0.1 as a site (`/` is its index.html), recording
 * every request that reaches it. `routes` answer paths of their own (a slow API, a bot check).
 */
export async function serveFixtureSite(
  folder: string,
  routes: Record<string, Route> = {},
): Promise<FixtureSite> {
  const root = join(FIXTURES, folder);
  const requests: SiteRequest[] = [];
  const server = createServer(async (request, response) => {
    const url = request.url ?? '/';
    requests.push({ url, headers: request.headers });
    const path = new URL(url, 'http://site').pathname;
    const route = routes[path];
    if (route) return route(request, response);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(root)) return notFound(response);
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      notFound(response);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    paths: () => requests.map((request) => request.url),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function notFound(response: ServerResponse): void {
  response.writeHead(404, { 'content-type': 'text/plain' });
  response.end('Not Found');
}
