import type { FetchResult } from '@tidings/fetch';
import { type BrowserRenderer, RenderError } from '@tidings/render';
import type { SourceConfig } from '../config/types.js';
import type { Logger } from '../logger.js';
import type { RefreshDeps } from './refresh-source.js';

export type PageRenderer = Pick<BrowserRenderer, 'render'>;

/**
 * A listing page of a `render: browser` source, rendered in Chromium with every request through
 * the source's fetcher, as the FetchResult the parser reads. Never conditional: the served HTML
 * may stay the same while the list its script loads changes.
 */
export async function renderedListingPage(
  url: string,
  source: SourceConfig,
  deps: Pick<RefreshDeps, 'fetcher' | 'renderer' | 'logger'>,
  headersFor: (url: string) => Record<string, string> | undefined,
): Promise<FetchResult> {
  if (!deps.renderer) {
    throw new RenderError('closed', `Rendering ${url} needs a browser renderer, and this refresh has none.`, {
      url,
    });
  }
  const page = await deps.renderer.render(url, {
    fetcher: deps.fetcher,
    allowPrivateNetwork: source.allowPrivateNetwork,
    headersFor,
    ...waitForList(source),
  });
  logRendered(source.id, page, deps.logger);
  return {
    url: page.url,
    status: 200,
    notModified: false,
    body: Buffer.from(page.html, 'utf8'),
    contentType: page.contentType,
    attempts: 1,
    durationMs: page.durationMs,
  };
}

/** A written profile names the list's items: done as soon as they are there. */
function waitForList(source: SourceConfig): { waitFor?: string } {
  const profile = source.profile;
  return typeof profile === 'object' && profile.list?.item ? { waitFor: profile.list.item } : {};
}

function logRendered(
  sourceId: string,
  page: Awaited<ReturnType<PageRenderer['render']>>,
  logger: Logger,
): void {
  const { fetched, skipped, failed } = page.requests;
  const details = { source: sourceId, url: page.url, durationMs: page.durationMs, fetched, skipped, failed };
  if (!page.settled) {
    logger.warn(details, 'rendered page still loading at the time limit; reading it as it was');
  } else if (failed.length > 0) {
    logger.info(details, 'rendered the page; some of its requests were refused or failed');
  } else {
    logger.debug(details, 'rendered the page');
  }
}
