#!/usr/bin/env node
// `pnpm start`: builds whatever of the server and the packages it uses is older than its source,
// then runs the built server as production does: `node --max-semi-space-size=2
// apps/server/dist/main.js`, plain JavaScript, no tsx, no `source` condition.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PACKAGES = [
  'packages/parser',
  'packages/feeds',
  'packages/fetch',
  'packages/render',
  'packages/widget',
  'apps/server',
];

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Built after the last change to its sources, its build config and its package.json. */
function isBuilt(dir) {
  const output = join(ROOT, dir, 'dist', 'index.js');
  if (!existsSync(output)) return false;
  const inputs = ['src', 'tsup.config.ts', 'package.json'].map((name) => join(ROOT, dir, name));
  const newestInput = Math.max(...inputs.filter((path) => existsSync(path)).map(newestMtime));
  return statSync(output).mtimeMs >= newestInput;
}

// Each package keeps the others external (tsup leaves dependencies out), so only stale ones build.
for (const dir of PACKAGES) {
  if (isBuilt(dir)) continue;
  process.stderr.write(`start: building ${dir}\n`);
  // npm_execpath is the pnpm running this script (a native binary, or a script for node).
  const pnpm = process.env.npm_execpath ?? 'pnpm';
  const [command, args] = /\.[cm]?js$/.test(pnpm) ? [process.execPath, [pnpm]] : [pnpm, []];
  execFileSync(command, [...args, '--dir', join(ROOT, dir), 'run', 'build'], {
    stdio: ['ignore', process.stderr, 'inherit'],
  });
}

// V8 grows its young generation to 16 MiB semi-spaces under load and keeps them: with 2 MiB the
// server held 9 MiB after a load of every route instead of 55, at the same requests/s
// (../shared/tools/route-load.sh). The flag must be given at launch, hence a child process.
const server = spawn(
  process.execPath,
  ['--max-semi-space-size=2', join(ROOT, 'apps/server/dist/main.js'), ...process.argv.slice(2)],
  {
    stdio: 'inherit',
  },
);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
