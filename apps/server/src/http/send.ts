import type { IncomingMessage, ServerResponse } from 'node:http';
import { BR, GZIP, type Prepared } from '../views/prepared.js';

export type SendResult = 'hit' | 'not_modified';

/**
 * The compressed forms an Accept-Encoding header takes (bits of GZIP and BR; q=0 refuses, `*`
 * stands for the ones not named). Clients send few distinct headers, so each is read once.
 */
export function accepted(header: string | undefined): number {
  if (header === undefined) return 0;
  let bits = acceptedMemo.get(header);
  if (bits === undefined) {
    bits = readAcceptEncoding(header);
    if (acceptedMemo.size >= ACCEPTED_MEMO_SIZE) acceptedMemo.clear();
    acceptedMemo.set(header, bits);
  }
  return bits;
}

const ACCEPTED_MEMO_SIZE = 256;
const acceptedMemo = new Map<string, number>();

function readAcceptEncoding(header: string): number {
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params
      .map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1])
      .find((value) => value !== undefined);
    weights.set(name, q === undefined ? 1 : Number(q));
  }
  const weight = (name: string) => weights.get(name) ?? weights.get('*') ?? 0;
  return (weight('gzip') > 0 ? GZIP : 0) | (weight('br') > 0 ? BR : 0);
}

/** If-None-Match compares weakly (W/"x" matches "x"), and may list several tags or `*`. */
function matchesEtag(header: string, etag: string): boolean {
  if (header === etag) return true;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

function notModifiedSince(header: string | undefined, view: Prepared): boolean {
  if (header === undefined || view.lastModified === undefined) return false;
  if (header === view.lastModified) return true;
  const since = Date.parse(header);
  return !Number.isNaN(since) && view.lastModifiedMs <= since;
}

/**
 * Answers a request from a prepared view: 304 when the client's copy is current, else the body in
 * the best form the client takes. Every header object was built with the view: this is the hot path.
 */
export function sendPrepared(request: IncomingMessage, response: ServerResponse, view: Prepared): SendResult {
  const headers = request.headers;
  const ifNoneMatch = headers['if-none-match'];
  const current =
    ifNoneMatch !== undefined
      ? matchesEtag(ifNoneMatch, view.etag)
      : notModifiedSince(headers['if-modified-since'], view);
  if (current) {
    response.writeHead(304, view.notModified);
    response.end();
    return 'not_modified';
  }
  const answer = view.answer(accepted(headers['accept-encoding']));
  response.writeHead(200, answer.headers);
  response.end(request.method === 'HEAD' ? undefined : answer.body);
  return 'hit';
}
