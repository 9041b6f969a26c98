import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { FIXTURES } from './fixtures.js';

/** How the stand-in site behaves right now. */
export type UpstreamMode = 'normal' | 'error-500' | 'hang' | 'garbage' | 'redesign';

export interface Upstream {
  origin: string;
  /** The site's files (a private copy of test/fixtures/jy.tj.gov.cn): edit them to change the site. */
  root: string;
  mode: UpstreamMode;
  /** Every answer but robots.txt waits this long first (a slow site, for work caught mid-way). */
  delayMs: number;
  /** Paths requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * The Tianjin section's mirror served on 127.0.0.1 from a private copy, with switchable faults:
 * the site the server refreshes from in end-to-end tests.
 */
export async function startUpstream(): Promise<Upstream> {
  const root = mkdtempSync(join(tmpdir(), 'tidings-upstream-'));
  cpSync(join(FIXTURES, 'jy.tj.gov.cn'), root, { recursive: true });
  const state = { mode: 'normal' as UpstreamMode, delayMs: 0, requests: [] as string[] };
  const app = express();
  app.use(async (request, response, next) => {
    state.requests.push(request.path);
    if (request.path === '/robots.txt') {
      response.type('text').send('User-agent: *\nDisallow: /private/\n');
      return;
    }
    if (state.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
    switch (state.mode) {
      case 'error-500':
        response.status(500).send('Internal Server Error');
        return;
      case 'hang':
        return; // never answers: the fetcher's timeout must end it
      case 'garbage':
        response.type('html').send(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
        return;
      case 'redesign':
        response
          .type('html')
          .send('<!DOCTYPE html><html><body><div class="new-news">改版了</div></body></html>');
        return;
      default:
        next();
    }
  });
  app.use(express.static(root, { index: ['index.html'] }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const upstream: Upstream = {
    origin: `http://127.0.0.1:${port}`,
    root,
    get mode() {
      return state.mode;
    },
    set mode(mode: UpstreamMode) {
      state.mode = mode;
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(delayMs: number) {
      state.delayMs = delayMs;
    },
    requests: state.requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(root, { recursive: true, force: true });
    },
  };
  return upstream;
}
