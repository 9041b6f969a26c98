import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../logger.js';
import { packageRoot } from '../package-info.js';
import { Prepared } from './prepared.js';

/** The console's folder in this package, next to `config/`. */
const CONSOLE_DIR = 'console';

/**
 * The console's page. Scripts only from this server and no inline script at all; the picker's
 * `srcdoc` frame inherits this policy, so the listing page's images and styles may load from its
 * site (`http:`/`https:`, its `<base href>` included), and its scripts still cannot run (the frame
 * is also sandboxed without `allow-scripts`).
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "connect-src 'self'",
  "style-src 'self' 'unsafe-inline' http: https:",
  "img-src 'self' http: https: data:",
  "frame-src 'self'",
  "base-uri 'self' http: https:",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = {
  'Content-Security-Policy': CONSOLE_CSP,
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

const ASSETS: readonly { paths: string[]; file: string; contentType: string }[] = [
  { paths: ['/console', '/console/'], file: 'index.html', contentType: 'text/html; charset=utf-8' },
  { paths: ['/console/console.js'], file: 'console.js', contentType: 'text/javascript; charset=utf-8' },
  { paths: ['/console/console.css'], file: 'console.css', contentType: 'text/css; charset=utf-8' },
];

/**
 * `/console` and its script and stylesheet, read once at start as prepared answers by path.
 * Empty (with a warning) when the files are missing, so the routes answer 404.
 */
export function loadConsoleAssets(logger: Logger): Map<string, Prepared> {
  const views = new Map<string, Prepared>();
  const dir = consoleDirectory();
  if (!dir) {
    logger.warn(`the console's files (${CONSOLE_DIR}/index.html) were not found; /console answers 404`);
    return views;
  }
  for (const asset of ASSETS) {
    const file = join(dir, asset.file);
    const view = new Prepared(readFileSync(file), {
      contentType: asset.contentType,
      // Fixed names: revalidate each time (a 304 while unchanged) so an upgrade shows at once.
      cacheControl: 'no-cache',
      lastModified: statSync(file).mtime.toUTCString(),
      ...(asset.file === 'index.html' && { headers: PAGE_HEADERS }),
      compress: 'eager',
    });
    for (const path of asset.paths) views.set(path, view);
  }
  return views;
}

/** This package's `console/`, or undefined when its files are missing. */
function consoleDirectory(): string | undefined {
  const directory = join(packageRoot(), CONSOLE_DIR);
  return existsSync(join(directory, 'index.html')) ? directory : undefined;
}
