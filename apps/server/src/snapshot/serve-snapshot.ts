import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import serveStatic from 'serve-static';

export interface SnapshotServer {
  /** e.g. http://127.0.0.1:40123 */
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves a saved copy of a site (paths as on the site) on 127.0.0.1, with ETag and
 * Last-Modified, so the demo source is fetched exactly like the live one, offline.
 *
 * serve-static on plain node:http, not Express: Express swaps the prototype of every request and
 * response it sees, which leaves node:http's shared code polymorphic for the feed server in the
 * same process.
 */
export async function serveSnapshot(directory: string): Promise<SnapshotServer> {
  const files = serveStatic(directory, { index: ['index.html'], dotfiles: 'deny', fallthrough: true });
  const server = createServer((request, response) => {
    files(request, response, () => {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('not in the snapshot');
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
