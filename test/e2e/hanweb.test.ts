import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '@tidings/server';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { writeConfig } from '../support/write-config.js';

const HANWEB = `${FIXTURES}hanweb/`;
const EXPECTED: { title: string; date: string; link: string }[] = JSON.parse(
  readFileSync(`${HANWEB}expected.json`, 'utf8'),
);
/** The dataproxy.jsp answers the site has, by the first record asked for. */
const ANSWERS: Record<string, string> = { '16': 'dataproxy-16-30.xml', '31': 'dataproxy-31-45.xml' };

/**
 * A county site on Hanweb: a GB2312 column page with the first 15 records inline, and a
 * dataproxy.jsp that answers the pager's POST for the rest, as the real ones do: the form must
 * name the column, or there is nothing.
 */
async function startHanwebSite() {
  const app = express();
  const requests: string[] = [];
  app.use((request, _response, next) => {
    requests.push(`${request.method} ${request.originalUrl}`);
    next();
  });
  app.get('/robots.txt', (_request, response) => {
    response.type('text').send('User-agent: *\nDisallow: /module/jslib/\n');
  });
  app.get('/col/col1229455/index.html', (_request, response) => {
    // As such servers do: no charset in the header, `gb2312` in the page's <meta>.
    response.setHeader('content-type', 'text/html');
    response.end(readFileSync(`${HANWEB}col/col1229455/index.html`));
  });
  app.post(
    '/module/web/jpage/dataproxy.jsp',
    express.urlencoded({ extended: false }),
    (request, response) => {
      const form = request.body as Record<string, string>;
      const answer = ANSWERS[String(request.query.startrecord)];
      const column =
        form.col === '1' && form.columnid === '1229455' && form.webid === '12' && form.unitid === '7654321';
      if (!column || request.query.perpage !== '5' || !answer) {
        response.status(400).type('text').send('bad request');
        return;
      }
      response.type('text/xml;charset=UTF-8').send(readFileSync(HANWEB + answer));
    },
  );
  const listener = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => listener.once('listening', () => resolve()));
  const origin = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  return { origin, requests, close: () => new Promise<void>((resolve) => listener.close(() => resolve())) };
}

describe('a Hanweb column, followed across its dataproxy.jsp pages', () => {
  let site: Awaited<ReturnType<typeof startHanwebSite>>;
  let server: TestServer;
  let config: { file: string; remove: () => void };

  beforeAll(async () => {
    site = await startHanwebSite();
    // No profile: the page's datastore marks choose `hanweb`.
    config = writeConfig(`sources:
  - id: shixian
    url: ${site.origin}/col/col1229455/index.html
    pages: 10
    fullText: false
    allowPrivateNetwork: true
`);
    const { sources } = loadConfig({ file: config.file, env: {} });
    server = await startTestServer({ sources }, { fetcher: { perHostDelayMs: 0 } });
  });

  afterAll(async () => {
    await server?.dispose();
    await site?.close();
    config?.remove();
  });

  const feed = async () =>
    (await (await fetch(`${server.url}/feeds/shixian.json`)).json()) as {
      items: { id: string; url: string; title: string; date_published: string }[];
    };

  it('reads all 38 records, in order, each once: the page, then two POSTs', async () => {
    const outcome = await server.refresh('shixian');
    expect(outcome).toMatchObject({ outcome: 'ok', pages: 3, listed: 38, added: 38 });
    const { items } = await feed();
    expect(items.map((item) => [item.title, item.url, item.date_published.slice(0, 10)])).toEqual(
      EXPECTED.map((item) => [item.title, site.origin + item.link, item.date]),
    );
    expect(new Set(items.map((item) => item.id)).size).toBe(38);
    expect(site.requests.filter((request) => !request.includes('robots.txt'))).toEqual([
      'GET /col/col1229455/index.html',
      'POST /module/web/jpage/dataproxy.jsp?startrecord=16&endrecord=30&perpage=5',
      'POST /module/web/jpage/dataproxy.jsp?startrecord=31&endrecord=45&perpage=5',
    ]);
  });

  it('a second refresh finds nothing new and stores no duplicate', async () => {
    const outcome = await server.refresh('shixian');
    expect(outcome).toMatchObject({ outcome: 'ok', pages: 3, listed: 38, added: 0 });
    expect((await feed()).items).toHaveLength(38);
  });
});
