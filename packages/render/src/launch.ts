import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { CHROMIUM_ARGS } from './defaults.js';
import { RenderError } from './errors.js';

const LAUNCH_TIMEOUT_MS = 30_000;

/**
 * Starts the system's Chromium. playwright-core is imported here, on first use, so a process that
 * never renders never loads it. Playwright gives the browser a fresh, empty profile directory and
 * removes it when the browser closes.
 */
export async function launchChromium(executablePath: string): Promise<Browser> {
  if (!existsSync(executablePath)) {
    throw new RenderError(
      'no-browser',
      `No Chromium at ${executablePath}: install it (\`apt-get install chromium\` on Debian and Ubuntu), ` +
        'or set its path in TIDINGS_CHROMIUM. Tidings never downloads a browser.',
    );
  }
  const { chromium } = await importPlaywright();
  try {
    return await chromium.launch({
      executablePath,
      headless: true,
      args: [...CHROMIUM_ARGS],
      timeout: LAUNCH_TIMEOUT_MS,
    });
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new RenderError(
      'launch-failed',
      `Chromium at ${executablePath} did not start (${reason}): check that \`${executablePath} --headless --version\` runs, ` +
        'or set TIDINGS_CHROMIUM to one that does.',
      { cause: error },
    );
  }
}

async function importPlaywright(): Promise<typeof import('playwright-core')> {
  try {
    return await import('playwright-core');
  } catch (error) {
    throw new RenderError(
      'no-playwright',
      'playwright-core, which drives Chromium, is not installed: add it (`npm install playwright-core`).',
      { cause: error },
    );
  }
}
