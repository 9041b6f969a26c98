import { Fetcher } from '@tidings/fetch';
import { BrowserRenderer } from '@tidings/render';
import type { Input, Io } from './io.js';

/**
 * A page whose list is built by script, as Chromium renders it, every request it makes through a
 * polite fetcher. Notes on stderr say which of its requests were refused, and when it was still
 * loading at the time limit.
 */
export async function renderPage(
  url: string,
  io: Io,
  options: { allowPrivateNetwork: boolean },
): Promise<Input> {
  const fetcher = new Fetcher({ allowPrivateNetwork: options.allowPrivateNetwork });
  const renderer = new BrowserRenderer();
  try {
    const page = await renderer.render(url, { fetcher, allowPrivateNetwork: options.allowPrivateNetwork });
    for (const { url: refused, code } of page.requests.failed) {
      io.stderr(`tidings: note: the page's request for ${refused} was refused or failed (${code})\n`);
    }
    if (!page.settled) {
      io.stderr('tidings: note: the page was still loading at the time limit (30 s); read as it was then\n');
    }
    return { bytes: Buffer.from(page.html, 'utf8'), url: page.url, contentType: page.contentType };
  } finally {
    await renderer.close();
    await fetcher.close();
  }
}
