#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { TidingsError } from '@tidings/parser';
import { loadConfig } from './config/load.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';

const logger = createLogger();

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string', short: 'c' } }, strict: true });
  const config = loadConfig({ ...(values.config ? { file: values.config } : {}), env: process.env });
  // HOST binds one interface (127.0.0.1 behind a reverse proxy on the same machine); default all.
  const host = process.env.HOST || undefined;
  const server = await startServer(config, { logger, env: process.env, ...(host && { host }) });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: String(error) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // Reload the config file: sources added, changed or removed apply at once (the result is logged).
  process.on('SIGHUP', () => {
    server.reload('SIGHUP').catch((error: unknown) => logger.error({ err: String(error) }, 'reload failed'));
  });
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  // Bad config, a taken port: one clear line, no stack, non-zero exit.
  const message = error instanceof TidingsError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`tidings-server: ${message}\n`);
  process.exit(1);
});
