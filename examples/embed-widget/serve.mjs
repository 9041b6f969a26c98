// Serves index.html on http://localhost:8080 (PORT to change), pointing it at your Tidings server
// (TIDINGS_URL, default http://localhost:3000). Start the server first: `npx -y pnpm@12.4.2 start`.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 8080);
const tidings = (process.env.TIDINGS_URL ?? 'http://localhost:3000').replace(/\/$/, '');

export function page(tidingsUrl = tidings) {
  return readFileSync(new URL('./index.html', import.meta.url), 'utf8').replaceAll(
    'http://localhost:3000',
    tidingsUrl,
  );
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  createServer((request, response) => {
    if (request.url !== '/' && request.url !== '/index.html') {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page());
  }).listen(port, () => {
    console.log(`Example page: http://localhost:${port}/ (widget from ${tidings})`);
  });
}
