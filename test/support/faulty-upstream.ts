import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { FIXTURES } from './fixtures.js';

/** How the stand-in site answers its listing pages right now (article pages are always served normally). */
export type FaultMode =
  | 'normal'
  /** Accepts the request and never sends a status line. */
  | 'slow-headers'
  /** Slowloris: headers at once, then one byte of the page every 200 ms. */
  | 'slow-body'
  | 'error-500'
  /** 503 with `Retry-After: 1`, for the next `failuresLeft` listing requests (then normal). */
  | 'unavailable-retry-after'
  /** Content-Length of the whole page, half of it sent, then the connection is closed. */
  | 'truncated'
  /** The page's bytes in GB18030, labelled `text/html; charset=utf-8`. */
  | 'wrong-charset'
  /** 302 back and forth between two URLs, for ever. */
  | 'redirect-loop'
  /** 10 MB of valid HTML, streamed without a Content-Length. */
  | 'huge-streamed'
  /** 10 MB of valid HTML, announced by its Content-Length. */
  | 'huge-declared'
  /** The list is gone. */
  | 'redesign';

export interface FaultyUpstream {
  origin: string;
  /** The site's files: a private copy of test/fixtures/jy.tj.gov.cn. */
  root: string;
  mode: FaultMode;
  /** For `unavailable-retry-after`: how many listing requests still get a 503 (default: all of them). */
  failuresLeft: number;
  /** Every request, in order: its path (with query) and how it was answered. */
  requests: { path: string; answer: string }[];
  close(): Promise<void>;
}

export const HUGE_BYTES = 10 * 1024 * 1024;

// iconv-lite is the parser's dependency; borrowed from there to write GB18030 bytes.
const iconv = createRequire(join(FIXTURES, '../../packages/parser/package.json'))('iconv-lite') as {
  encode(text: string, charset: string): Buffer;
};

/** Listing pages: the section's index and its numbered pages, plus the redirect loop's second URL. */
function isListing(path: string): boolean {
  return /^\/JYXW\/TJJY\/(?:index(?:_\d+)?\.html)?$/.test(path) || path === '/JYXW/TJJY/loop';
}

/** Writes `total` bytes (the page, then padding inside a comment) with backpressure, until done or closed. */
function streamHuge(response: ServerResponse, page: Buffer, total: number): void {
  const open = Buffer.from('<!-- ');
  const close = Buffer.from(' -->');
  const padding = Buffer.alloc(64 * 1024, 'x');
  let left = total - page.length - open.length - close.length;
  const pump = () => {
    while (left > 0 && !response.destroyed) {
      const chunk = padding.subarray(0, Math.min(padding.length, left));
      left -= chunk.length;
      if (left === 0) {
        response.end(Buffer.concat([chunk, close]));
        return;
      }
      if (!response.write(chunk)) {
        response.once('drain', pump);
        return;
      }
    }
  };
  response.write(page);
  response.write(open);
  pump();
}

/**
 * The Tianjin section's mirror on 127.0.0.1 (a private copy), whose listing pages can be made to
 * fail in the ways real sites do: slow, broken, mislabelled, looping, huge or redesigned.
 */
export async function startFaultyUpstream(): Promise<FaultyUpstream> {
  const root = mkdtempSync(join(tmpdir(), 'tidings-faulty-'));
  cpSync(join(FIXTURES, 'jy.tj.gov.cn'), root, { recursive: true });
  const state = {
    mode: 'normal' as FaultMode,
    failuresLeft: Number.POSITIVE_INFINITY,
    requests: [] as { path: string; answer: string }[],
  };
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  const pageFor = (path: string) =>
    readFileSync(join(root, path.endsWith('/') ? `${path}index.html` : path.replace('/loop', '/index.html')));

  const app = express();
  app.disable('x-powered-by');
  app.use((request, response, next) => {
    const path = request.path;
    const record = (answer: string) => state.requests.push({ path: request.originalUrl, answer });
    if (path === '/robots.txt') {
      record('robots');
      response.type('text').send('User-agent: *\nDisallow: /private/\n');
      return;
    }
    if (state.mode === 'normal' || !isListing(path)) {
      record('normal');
      next();
      return;
    }
    const html = 'text/html; charset=utf-8';
    switch (state.mode) {
      case 'slow-headers':
        record('slow-headers');
        return; // never answers: the fetcher's timeout must end it
      case 'slow-body': {
        record('slow-body');
        const page = pageFor(path);
        response.writeHead(200, { 'Content-Type': html });
        response.flushHeaders();
        let sent = 0;
        const timer = setInterval(() => {
          if (response.destroyed || sent >= page.length) {
            clearInterval(timer);
            timers.delete(timer);
            if (!response.destroyed) response.end();
            return;
          }
          response.write(page.subarray(sent, sent + 1));
          sent++;
        }, 200);
        timers.add(timer);
        response.once('close', () => {
          clearInterval(timer);
          timers.delete(timer);
        });
        return;
      }
      case 'error-500':
        record('500');
        response.status(500).type('text').send('Internal Server Error');
        return;
      case 'unavailable-retry-after':
        if (state.failuresLeft <= 0) {
          record('normal');
          next();
          return;
        }
        state.failuresLeft--;
        record('503');
        response.status(503).set('Retry-After', '1').type('text').send('Service Unavailable');
        return;
      case 'truncated': {
        record('truncated');
        const page = pageFor(path);
        response.writeHead(200, { 'Content-Type': html, 'Content-Length': String(page.length) });
        response.write(page.subarray(0, Math.floor(page.length / 2)), () => {
          setTimeout(() => response.socket?.destroy(), 20);
        });
        return;
      }
      case 'wrong-charset': {
        record('wrong-charset');
        const text = pageFor(path).toString('utf8');
        response.writeHead(200, { 'Content-Type': html }).end(iconv.encode(text, 'gb18030'));
        return;
      }
      case 'redirect-loop': {
        record('redirect');
        const to = path === '/JYXW/TJJY/loop' ? '/JYXW/TJJY/' : '/JYXW/TJJY/loop';
        response.redirect(302, to);
        return;
      }
      case 'huge-streamed':
        record('huge-streamed');
        response.writeHead(200, { 'Content-Type': html });
        streamHuge(response, pageFor(path), HUGE_BYTES);
        return;
      case 'huge-declared':
        record('huge-declared');
        response.writeHead(200, { 'Content-Type': html, 'Content-Length': String(HUGE_BYTES) });
        streamHuge(response, pageFor(path), HUGE_BYTES);
        return;
      case 'redesign':
        record('redesign');
        response
          .type('html')
          .send('<!DOCTYPE html><html><body><div class="new-news">改版了</div></body></html>');
        return;
    }
  });
  app.use(express.static(root, { index: ['index.html'] }));
  const server = app.listen(0, '127.0.0.1');
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    root,
    get mode() {
      return state.mode;
    },
    set mode(mode: FaultMode) {
      state.mode = mode;
    },
    get failuresLeft() {
      return state.failuresLeft;
    },
    set failuresLeft(count: number) {
      state.failuresLeft = count;
    },
    requests: state.requests,
    close: async () => {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(root, { recursive: true, force: true });
    },
  };
}
