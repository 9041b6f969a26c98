// The production bundle (scripts/bundle.sh): built into a temporary directory, copied to a fresh
// place and the original removed, then started there with plain node, no workspace around, as the
// image and the systemd unit run it. And the Dockerfile makes its image with that same script.
// Needs `pnpm build` first, as `pnpm test` does.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/pack-check.js';
import { plainEnv } from '../support/plain-env.js';
import { freePort, SERVER_NODE_FLAGS, waitFor } from '../support/server.js';

const exec = promisify(execFile);
const TIMEOUT = 120_000;

let work: string;
let bundle: string;
let bundleLog: string;

/** Every path under `dir`, relative to it, links not followed. */
function walk(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tidings-bundle-'));
  const built = join(work, 'built');
  const { stderr } = await exec('bash', [join(ROOT, 'scripts/bundle.sh'), built], {
    cwd: ROOT,
    env: plainEnv(),
    maxBuffer: 16 * 1024 * 1024,
    timeout: TIMEOUT,
  });
  bundleLog = stderr;
  // Somewhere else entirely, and the original gone: nothing may point back at it or the checkout.
  bundle = join(work, 'elsewhere', 'tidings');
  mkdirSync(join(work, 'elsewhere'));
  await exec('cp', ['-a', built, bundle]);
  rmSync(built, { recursive: true, force: true });
}, TIMEOUT);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the production bundle (scripts/bundle.sh)', () => {
  it('checked itself: it loads, its default config validates, better-sqlite3 opens a database', () => {
    expect(bundleLog).toMatch(/config\/default\.yaml: OK, 2 sources \(1 off\), 0 derived feeds\n/);
    expect(bundleLog).toMatch(/^bundle: .*\/built \(\d+(\.\d+)?M\); run: node --max-semi-space-size=2 /m);
  });

  it('holds the server as published and its production dependencies, nothing of the workspace', () => {
    const top = readdirSync(bundle).sort();
    expect(top).toEqual(
      expect.arrayContaining(['config', 'console', 'demo', 'dist', 'node_modules', 'package.json']),
    );
    expect(top).not.toContain('src');
    expect(existsSync(join(bundle, 'demo/jy.tj.gov.cn/JYXW/TJJY/index.html'))).toBe(true);
    const installed = readdirSync(join(bundle, 'node_modules/.pnpm'));
    for (const tool of ['typescript@', 'tsx@', 'tsup@', 'vitest@', '@biomejs+', 'publint@']) {
      expect(
        installed.filter((name) => name.startsWith(tool)),
        tool,
      ).toEqual([]);
    }
    expect(existsSync(join(bundle, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(
      true,
    );
    // The workspace packages are copies, with their builds.
    for (const name of ['parser', 'feeds', 'fetch', 'render', 'widget']) {
      const folder = join(bundle, 'node_modules/@tidings', name);
      expect(realpathSync(folder).startsWith(`${bundle}/`), name).toBe(true);
      expect(existsSync(join(folder, 'dist/index.js')), name).toBe(true);
    }
  });

  it('links only within itself', () => {
    const links = walk(bundle).filter((path) => lstatSync(join(bundle, path)).isSymbolicLink());
    expect(links.length).toBeGreaterThan(10);
    const outside = links.filter((path) =>
      relative(bundle, realpathSync(join(bundle, path))).startsWith('..'),
    );
    expect(outside).toEqual([]);
  });

  describe('started from its new place with plain node', () => {
    let child: ChildProcess;
    let logs = '';
    let base: string;
    const cwd = () => join(work, 'cwd');

    beforeAll(async () => {
      mkdirSync(cwd());
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      child = spawn(process.execPath, [...SERVER_NODE_FLAGS, join(bundle, 'dist/main.js')], {
        cwd: cwd(),
        env: {
          ...plainEnv(),
          PORT: String(port),
          HOST: '127.0.0.1',
          TIDINGS_DATA_DIR: join(work, 'data'),
          TIDINGS_CONFIG: '',
          TIDINGS_REDIS_URL: '',
          TIDINGS_DATABASE_URL: '',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout?.on('data', (chunk: Buffer) => {
        logs += chunk.toString();
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        logs += chunk.toString();
      });
    });

    afterAll(async () => {
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    });

    it(
      'serves the demo: 37 articles, the widget script, /healthz; data where TIDINGS_DATA_DIR says',
      async () => {
        const json = await waitFor(async () => {
          const body = (await (await fetch(`${base}/feeds/demo.json`)).json()) as { items: unknown[] };
          return body.items.length > 0 ? body : undefined;
        }, 60_000).catch((error: Error) => {
          throw new Error(`${error.message}\n${logs}`);
        });
        expect(json.items).toHaveLength(37);
        expect((await fetch(`${base}/widget.js`)).status).toBe(200);
        expect((await fetch(`${base}/healthz`)).status).toBe(200);
        expect(existsSync(join(work, 'data/tidings.db'))).toBe(true);
        expect(readdirSync(cwd())).toEqual([]);
      },
      TIMEOUT,
    );

    it('stops on SIGTERM with exit code 0', async () => {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(logs).toContain('"msg":"stopped"');
    });
  });
});

describe('the Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const instructions = dockerfile
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'));

  it('builds the bundle with scripts/bundle.sh in its build stage, and the runtime stage runs only that', () => {
    expect(instructions.filter((line) => line.startsWith('FROM '))).toEqual([
      'FROM node:20-slim AS build',
      'FROM node:20-slim',
    ]);
    const build = instructions.slice(0, instructions.indexOf('FROM node:20-slim'));
    const run = build.filter((line) => line.startsWith('RUN ')).at(-1);
    expect(run).toMatch(/npx -y pnpm@12\.4\.2 install --frozen-lockfile/);
    expect(run).toMatch(/npx -y pnpm@12\.4\.2 --filter "@tidings\/server\.\.\." build/);
    expect(run).toMatch(/&& bash scripts\/bundle\.sh \/bundle$/);
    expect(instructions).toContain('COPY --from=build /bundle /app');
  });

  it('runs as a user of its own, data in the /data volume, health from /healthz with node', () => {
    expect(instructions).toContain('USER tidings');
    expect(instructions).toContain('VOLUME ["/data"]');
    expect(instructions.find((line) => line.startsWith('ENV '))).toMatch(/TIDINGS_DATA_DIR=\/data/);
    expect(instructions).toContain('EXPOSE 3000');
    expect(instructions.find((line) => line.startsWith('HEALTHCHECK '))).toMatch(
      /CMD \["node", "-e", ".*\/healthz/,
    );
    expect(instructions.at(-1)).toBe('CMD ["node", "--max-semi-space-size=2", "dist/main.js"]');
    expect(instructions.at(-1)).toContain(SERVER_NODE_FLAGS.join(' '));
  });

  it('documents the TIDINGS_ environment the server reads', () => {
    for (const name of [
      'TIDINGS_DATA_DIR',
      'TIDINGS_CONFIG',
      'TIDINGS_REDIS_URL',
      'TIDINGS_ADMIN_TOKEN',
      'PORT',
      'HOST',
    ]) {
      expect(dockerfile).toMatch(new RegExp(`^#\\s+${name}\\s`, 'm'));
    }
  });

  it('is given sources only: .dockerignore leaves out installs, builds, data and git', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['.git', '**/node_modules', '**/dist', 'data']));
  });
});
