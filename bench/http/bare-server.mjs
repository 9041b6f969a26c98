// The floor for serving a feed: node:http replaying, byte for byte, the answers the real server
// gave for one feed (identity, gzip, br, 304), recorded from it at start. Plain JavaScript, no
// loader, as the real server runs. Usage: node bare-server.mjs <feed URL>; prints {"port"} when ready.
import { createServer, get } from 'node:http';

const url = process.argv[2];

function record(headers) {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        const { date: _date, connection: _connection, 'keep-alive': _keepAlive, ...rest } = response.headers;
        resolve({ status: response.statusCode, headers: rest, body: Buffer.concat(chunks) });
      });
    }).on('error', reject);
  });
}

const identity = await record({ 'accept-encoding': 'identity' });
const etag = identity.headers.etag;
const gzip = await record({ 'accept-encoding': 'gzip' });
const br = await record({ 'accept-encoding': 'br' });
const notModified = await record({ 'if-none-match': etag });

const server = createServer((request, response) => {
  const encoding = request.headers['accept-encoding'] ?? '';
  const answer =
    request.headers['if-none-match'] === etag
      ? notModified
      : encoding.includes('br')
        ? br
        : encoding.includes('gzip')
          ? gzip
          : identity;
  response.writeHead(answer.status, answer.headers);
  response.end(answer.body);
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () =>
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`),
);
