import { RenderError } from './errors.js';
import type { RendererOptions } from './types.js';

export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';
export const DEFAULT_MAX_PAGES = 2;
export const DEFAULT_PAGE_TIMEOUT_MS = 30_000;

/**
 * A quiet, throwaway Chromium. Nothing it does by itself reaches the network: every request a page
 * makes is answered by the fetcher, and the proxy to a closed port (loopback included) catches
 * anything that would get past the routing (a WebSocket, a prefetch).
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--proxy-server=http://127.0.0.1:9',
  '--proxy-bypass-list=<-loopback>',
];

export interface RendererSettings {
  executablePath: string;
  maxPages: number;
  pageTimeoutMs: number;
}

export function settingsFrom(
  options: RendererOptions,
  env: NodeJS.ProcessEnv = process.env,
): RendererSettings {
  const settings = {
    executablePath: options.executablePath ?? (env.TIDINGS_CHROMIUM || DEFAULT_CHROMIUM_PATH),
    maxPages: options.maxPages ?? DEFAULT_MAX_PAGES,
    pageTimeoutMs: options.pageTimeoutMs ?? DEFAULT_PAGE_TIMEOUT_MS,
  };
  requireCount('maxPages', settings.maxPages, 1);
  requireCount('pageTimeoutMs', settings.pageTimeoutMs, 1);
  return settings;
}

function requireCount(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RenderError(
      'bad-options',
      `RendererOptions.${name} must be an integer ≥ ${min}, got ${String(value)}.`,
    );
  }
}
