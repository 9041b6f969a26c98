#!/usr/bin/env node
import { parseCommandLine, USAGE, UsageError } from './cli/args.js';
import { checkConfig } from './cli/check.js';
import { loadConfig } from './config/load.js';
import { createLogger } from './logger.js';
import { packageVersion } from './package-info.js';
import { startServer } from './server.js';

/** The exit code when done (help, version, check); undefined while the server runs. */
async function main(): Promise<number | undefined> {
  const command = parseCommandLine(process.argv.slice(2));
  switch (command.kind) {
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    case 'version':
      process.stdout.write(`${packageVersion()}\n`);
      return 0;
    case 'check': {
      const result = checkConfig(command.file, process.env);
      if (result.ok) process.stdout.write(`${result.line}\n`);
      else process.stderr.write(`${result.problems}\n`);
      return result.ok ? 0 : 1;
    }
    case 'serve':
      await serve(command.file);
      return undefined;
  }
}

async function serve(file: string | undefined): Promise<void> {
  const logger = createLogger();
  const config = loadConfig({ ...(file !== undefined && { file }), env: process.env });
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

main().then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      // A bad command line: what was wrong, then how to call it.
      process.stderr.write(`tidings-server: ${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    // Bad config, a taken port: one clear line, no stack, non-zero exit.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`tidings-server: ${message}\n`);
    process.exit(1);
  },
);
