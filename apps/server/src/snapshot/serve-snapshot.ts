import type { AddressInfo } from 'node:net';
import express from 'express';

export interface SnapshotServer {
  /** e.g. http://127.0.0.1:40123 */
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves a saved copy of a site (paths as on the site) on 127.0.0.1, with ETag and
 * Last-Modified, so the demo source is fetched exactly like the live one, offline.
 */
export async function serveSnapshot(directory: string): Promise<SnapshotServer> {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.static(directory, { index: ['index.html'], dotfiles: 'deny', fallthrough: true }));
  app.use((_request, response) => {
    response.status(404).type('text').send('not in the snapshot');
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
