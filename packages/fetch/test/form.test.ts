import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, decode, fetchError, startServer, testFetcher } from './helpers.js';

afterEach(closeAll);

/** What one request carried: method, path, content type and body. */
interface Received {
  method: string | undefined;
  url: string | undefined;
  contentType: string | undefined;
  body: string;
}

/** A server that records each request in full and answers with `answer`. */
async function recording(answer: (request: IncomingMessage, response: ServerResponse) => void) {
  const received: Received[] = [];
  const server = await startServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method,
        url: request.url,
        contentType: request.headers['content-type'],
        body: Buffer.concat(chunks).toString('utf8'),
      });
      answer(request, response);
    });
  });
  return { server, received };
}

const FORM = 'col=1&webid=12&path=%2F&columnid=1229455&webname=%E7%A4%BA%E4%BE%8B';
const xml = (response: ServerResponse, text: string) => {
  response.writeHead(200, { 'content-type': 'text/xml; charset=UTF-8' });
  response.end(text);
};

describe('a form is POSTed, as a page script sends it', () => {
  it('sends the form URL-encoded, with its content type', async () => {
    const { server, received } = await recording((_request, response) => xml(response, '<datastore/>'));
    const result = await testFetcher().fetch(`${server.origin}/dataproxy.jsp?startrecord=16&endrecord=30`, {
      form: FORM,
    });
    expect(decode(result.body)).toBe('<datastore/>');
    expect(received).toEqual([
      {
        method: 'POST',
        url: '/dataproxy.jsp?startrecord=16&endrecord=30',
        contentType: 'application/x-www-form-urlencoded; charset=UTF-8',
        body: FORM,
      },
    ]);
  });

  it('a 303 is followed with a GET, a 307 with the form again', async () => {
    const { server, received } = await recording((request, response) => {
      if (request.url === '/see-other') return response.writeHead(303, { location: '/temporary' }).end();
      if (request.url === '/temporary') return response.writeHead(307, { location: '/final' }).end();
      xml(response, `<datastore>${request.method}</datastore>`);
    });
    const result = await testFetcher().fetch(`${server.origin}/see-other`, { form: FORM });
    expect(decode(result.body)).toBe('<datastore>GET</datastore>');
    expect(received.map(({ method, url, body }) => [method, url, body])).toEqual([
      ['POST', '/see-other', FORM],
      ['GET', '/temporary', ''],
      ['GET', '/final', ''],
    ]);

    received.length = 0;
    const kept = await testFetcher().fetch(`${server.origin}/temporary`, { form: FORM });
    expect(decode(kept.body)).toBe('<datastore>POST</datastore>');
    expect(received.map(({ method, url, body }) => [method, url, body])).toEqual([
      ['POST', '/temporary', FORM],
      ['POST', '/final', FORM],
    ]);
  });

  it('obeys robots.txt like a GET, and never POSTs the form to it', async () => {
    const { server, received } = await recording((request, response) => {
      if (request.url === '/robots.txt') {
        response.writeHead(200, { 'content-type': 'text/plain' });
        return response.end('User-agent: *\nDisallow: /module/\n');
      }
      xml(response, '<datastore/>');
    });
    const error = await fetchError(
      testFetcher({ robots: true }).fetch(`${server.origin}/module/web/jpage/dataproxy.jsp`, { form: FORM }),
    );
    expect(error.code).toBe('robots-disallowed');
    expect(received.map(({ method, url, body }) => [method, url, body])).toEqual([
      ['GET', '/robots.txt', ''],
    ]);
  });
});
