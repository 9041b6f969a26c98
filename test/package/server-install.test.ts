// @tidings/server as npm users get it. Packed by pnpm with the workspace packages it depends on
// (scripts/pack-check.ts), served with every third-party dependency by a registry on 127.0.0.1
// (test/support/local-registry.ts), then, outside the workspace:
// - `npx @tidings/server` in an empty directory serves the offline demo's 37 articles from the
//   snapshot inside the package, data in ./data there, built JavaScript only (no tsx, no `source`);
// - installed into a project with npm, `tidings-server --check`, `--version` and `--help`.
// Needs `pnpm build` first, as `pnpm test` does.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PackedPackage, packAll, packageDir, packPackage, SERVER } from '../../scripts/pack-check.js';
import { type LocalRegistry, startLocalRegistry } from '../support/local-registry.js';
import { plainEnv } from '../support/plain-env.js';
import { freePort, waitFor } from '../support/server.js';

const exec = promisify(execFile);
const TIMEOUT = 240_000;
const MANIFEST = JSON.parse(readFileSync(join(packageDir(SERVER), 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
};
const VERSION = MANIFEST.version;

let work: string;
let registry: LocalRegistry;
let server: PackedPackage;
let libraries: PackedPackage[];

/** npm as a user's shell has it, pointed at the local registry, with a cache of its own. */
function npmEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...plainEnv(),
    npm_config_registry: registry.url,
    npm_config_cache: join(work, 'npm-cache'),
    // better-sqlite3's install script would fetch a prebuilt binary; the served copy has its build.
    npm_config_ignore_scripts: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    ...extra,
  };
}

/** Runs a command; resolves with its exit code and output whether it succeeds or not. */
async function runIn(
  cwd: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = npmEnv(),
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(command, args, {
      cwd,
      env,
      maxBuffer: 64 * 1024 * 1024,
      timeout: TIMEOUT,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string; message: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** Every process below `pid`, read from /proc. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The parent is the 4th field, after the command in parentheses (which may hold spaces).
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(parent, [...(parents.get(parent) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  const walk = (id: number) => {
    for (const child of parents.get(id) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

function procStrings(pid: number, file: 'cmdline' | 'environ'): string[] {
  return readFileSync(`/proc/${pid}/${file}`, 'utf8').split('\0').filter(Boolean);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tidings-server-install-'));
  const packs = join(work, 'packs');
  mkdirSync(packs);
  libraries = await packAll(packs);
  server = await packPackage(SERVER, packs);
  registry = await startLocalRegistry({
    tarballs: [...libraries.map((pkg) => pkg.tarball), server.tarball],
    from: [packageDir(SERVER)],
  });
}, TIMEOUT);

afterAll(async () => {
  await registry?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('`npx @tidings/server` in an empty directory', () => {
  let child: ChildProcess | undefined;
  let logs = '';

  afterAll(async () => {
    if (child?.pid && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      // npx, the shell it runs and the server: the whole group it leads.
      process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
  });

  it(
    'serves the offline demo: 37 articles from the snapshot in the package, data in ./data',
    async () => {
      const empty = join(work, 'empty');
      mkdirSync(empty);
      const port = await freePort();
      child = spawn('npx', ['--yes', '@tidings/server'], {
        cwd: empty,
        env: npmEnv({ PORT: String(port), HOST: '127.0.0.1' }),
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      child.stdout?.on('data', (chunk: Buffer) => {
        logs += chunk.toString();
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        logs += chunk.toString();
      });
      const base = `http://127.0.0.1:${port}`;
      const json = await waitFor(async () => {
        const response = await fetch(`${base}/feeds/demo.json`);
        const body = (await response.json()) as { items: { url: string }[] };
        return body.items.length > 0 ? body : undefined;
      }, 120_000).catch((error: Error) => {
        throw new Error(`${error.message}\n${logs}`);
      });
      expect(json.items).toHaveLength(37);
      expect(json.items.every((item) => item.url.startsWith('https://jy.tj.gov.cn/JYXW/TJJY/'))).toBe(true);
      expect(existsSync(join(empty, 'data', 'tidings.db'))).toBe(true);
      expect(readdirSync(empty)).toEqual(['data']);
      // Piped stdout: JSON lines.
      const listening = logs.split('\n').find((line) => line.includes('"msg":"listening"'));
      expect(JSON.parse(listening ?? '{}')).toMatchObject({
        msg: 'listening',
        sources: ['demo', 'tjjy (off)'],
      });
    },
    TIMEOUT,
  );

  it('runs the built dist/main.js with plain node: no tsx, no `source` condition, no sources', () => {
    const pid = child?.pid as number;
    const processes = descendants(pid);
    const nodes = processes.filter((id) => {
      const [command] = procStrings(id, 'cmdline');
      return command !== undefined && /(^|\/)node$/.test(command);
    });
    // npx runs the bin through a shell: one node process below it is the server.
    const servers = nodes.filter((id) => /tidings-server$/.test(procStrings(id, 'cmdline')[1] ?? ''));
    expect(servers).toHaveLength(1);
    const [, script] = procStrings(servers[0] as number, 'cmdline');
    const main = realpathSync(script as string);
    expect(main).toMatch(/\/node_modules\/@tidings\/server\/dist\/main\.js$/);
    for (const id of [pid, ...processes]) {
      const strings = [...procStrings(id, 'cmdline'), ...procStrings(id, 'environ')];
      expect(
        strings.filter((value) => /tsx|--conditions|^NODE_OPTIONS=/.test(value)),
        String(id),
      ).toEqual([]);
    }
    // What npx installed: the package's build, without its TypeScript, nor any TypeScript runtime.
    const installed = join(main, '../..');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { exports: object };
    expect(JSON.stringify(manifest.exports)).not.toContain('source');
    expect(existsSync(join(installed, 'src'))).toBe(false);
    expect(existsSync(join(installed, '../../tsx'))).toBe(false);
    expect(existsSync(join(installed, '../../better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true);
  });
});

describe('tidings-server installed into a project with npm', () => {
  let project: string;

  beforeAll(async () => {
    project = join(work, 'project');
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      '{ "name": "tidings-server-install-check", "private": true }\n',
    );
    writeFileSync(
      join(project, 'good.yaml'),
      'sources:\n  - id: news\n    url: https://example.org/news/\n    enabled: false\n',
    );
    writeFileSync(
      join(project, 'bad.yaml'),
      'sources:\n  - id: News\n    url: https://example.org/news/\n    refresh: 5 minutes\n    pagez: 2\n',
    );
    const installed = await runIn(project, 'npm', ['install', server.tarball]);
    if (installed.code !== 0)
      throw new Error(`npm install failed:\n${installed.stdout}\n${installed.stderr}`);
  }, TIMEOUT);

  const bin = (args: string[]) => runIn(project, 'npx', ['--no', '--', 'tidings-server', ...args]);

  it('installed the server from its tarball and every dependency from the local registry', () => {
    const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; resolved?: string; link?: boolean }>;
    };
    expect(lock.packages['node_modules/@tidings/server']).toMatchObject({ version: VERSION });
    expect(lock.packages['node_modules/@tidings/server']?.resolved).toMatch(/^file:.*\.tgz$/);
    const installed = Object.entries(lock.packages)
      .filter(([path]) => path.startsWith('node_modules/') && path !== 'node_modules/@tidings/server')
      .map(([path, entry]) => `${path.slice(path.lastIndexOf('node_modules/') + 13)}@${entry.version}`);
    expect(installed.length).toBeGreaterThan(50);
    // Nothing came from anywhere else: every package is one the registry on 127.0.0.1 serves.
    expect(installed.filter((pkg) => !registry.packages.includes(pkg))).toEqual([]);
    const parser = libraries.find((pkg) => pkg.name === '@tidings/parser');
    expect(installed).toEqual(
      expect.arrayContaining([
        `@tidings/parser@${parser?.version}`,
        `better-sqlite3@${MANIFEST.dependencies['better-sqlite3']}`,
      ]),
    );
  });

  it('--check on a good config: one line, exit 0, nothing written', async () => {
    const result = await bin(['--check', '--config', 'good.yaml']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(`${join(project, 'good.yaml')}: OK, 1 source (1 off), 0 derived feeds\n`);
    expect(existsSync(join(project, 'data'))).toBe(false);
  });

  it('--check on a bad config: every problem, one per line, exit 1, nothing written', async () => {
    const result = await bin(['--check', '--config', 'bad.yaml']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.every((line) => line.startsWith('bad.yaml: sources[0].'))).toBe(true);
    expect(result.stderr).toContain('sources[0].id: "News" is not a valid id');
    expect(result.stderr).toContain('sources[0].refresh: "5 minutes"');
    expect(result.stderr).toContain('sources[0].pagez: unknown key (did you mean "pages"?)');
    expect(existsSync(join(project, 'data'))).toBe(false);
  });

  it('--check with no config checks the bundled default, whose snapshot is in the package', async () => {
    const result = await bin(['--check']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `${join(project, 'node_modules/@tidings/server/config/default.yaml')}: OK, 2 sources (1 off), 0 derived feeds\n`,
    );
  });

  it('--version prints the package version; --help the usage', async () => {
    expect(await bin(['--version'])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    const help = await bin(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: tidings-server \[--config <file>\] \[--check\]\n/);
  });
});
