// Each published package (packages/* and the server), packed by pnpm as `pnpm publish` would, passes publint (strict, down to
// suggestions) and Are the Types Wrong (every entry point green in every resolution mode), and its
// tarball holds what npm users need and nothing from the workspace. The same checks as
// `pnpm check:packages` (scripts/pack-check.ts). Needs `pnpm build` first, as `pnpm test` does.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkPacked,
  type PackageReport,
  type PackedFolder,
  type PackedPackage,
  PUBLISHED,
  packAll,
  packPackage,
  ROOT,
  SERVER,
} from '../../scripts/pack-check.js';

const TIMEOUT = 240_000;

let destination: string;
const packed = new Map<PackedFolder, PackedPackage>();
const reports = new Map<PackedFolder, PackageReport>();

beforeAll(async () => {
  destination = mkdtempSync(join(tmpdir(), 'tidings-publint-'));
  for (const pkg of await packAll(destination)) packed.set(pkg.folder, pkg);
  packed.set(SERVER, await packPackage(SERVER, destination));
  // attw and publint run in parallel for all seven (attw builds a TypeScript program per mode).
  const checked = await Promise.all(
    [...packed.values()].map(async (pkg) => [pkg.folder, await checkPacked(pkg)] as const),
  );
  for (const [folder, report] of checked) reports.set(folder, report);
}, TIMEOUT);

afterAll(() => {
  if (destination) rmSync(destination, { recursive: true, force: true });
});

interface Manifest {
  name: string;
  version: string;
  license?: string;
  author?: string;
  type?: string;
  sideEffects?: boolean | string[];
  engines?: Record<string, string>;
  repository?: { type: string; url: string; directory: string };
  homepage?: string;
  bugs?: { url: string };
  keywords?: string[];
  files?: string[];
  publishConfig?: Record<string, unknown>;
  exports?: Record<string, unknown>;
  bin?: Record<string, string>;
  private?: boolean;
  main?: string;
  module?: string;
  types?: string;
}

describe.each(PUBLISHED)('@tidings/%s as published', (folder) => {
  it('passes publint (strict: no error, warning or suggestion)', () => {
    expect(reports.get(folder)?.publint).toEqual([]);
  });

  it('passes Are the Types Wrong in node10, node16 (CJS and ESM) and bundler resolution', () => {
    const report = reports.get(folder);
    expect(report?.attw).toEqual([]);
    const expected = folder === 'widget' ? ['.', './widget.js', './package.json'] : ['.', './package.json'];
    expect(report?.entrypoints).toEqual(expected);
  });

  it('ships LICENSE, README.md and CHANGELOG.md, no workspace: range and only what users need', () => {
    expect(reports.get(folder)?.contents).toEqual([]);
    const files = packed.get(folder)?.files ?? [];
    expect(files).toEqual(expect.arrayContaining(['package.json', 'LICENSE', 'README.md', 'CHANGELOG.md']));
    expect(
      files.every((file) => /^(dist|src)\/|^(package\.json|LICENSE|README\.md|CHANGELOG\.md)$/.test(file)),
    ).toBe(true);
  });

  it('declares what the registry and npm users read', () => {
    const manifest = JSON.parse(
      readFileSync(join(ROOT, 'packages', folder, 'package.json'), 'utf8'),
    ) as Manifest;
    expect(manifest.name).toBe(`@tidings/${folder}`);
    expect(manifest).toMatchObject({
      license: 'MIT',
      author: 'The Tidings authors',
      type: 'module',
      engines: { node: '>=20.11' },
      repository: {
        type: 'git',
        url: 'git+https://github.com/tidings-feeds/tidings.git',
        directory: `packages/${folder}`,
      },
      homepage: `https://github.com/tidings-feeds/tidings/tree/main/packages/${folder}#readme`,
      bugs: { url: 'https://github.com/tidings-feeds/tidings/issues' },
      publishConfig: { access: 'public', provenance: true },
      files: ['dist', 'src', 'README.md', 'LICENSE', 'CHANGELOG.md'],
    });
    expect(manifest.keywords?.length).toBeGreaterThan(0);
    // Only the widget's embed script runs code on import; everything else can be tree-shaken.
    expect(manifest.sideEffects).toEqual(
      folder === 'widget' ? ['./dist/widget.js', './dist/widget.cjs', './src/embed.ts'] : false,
    );
    // The root entry: `source` for the workspace, then types first for import and for require.
    expect(manifest.exports?.['.']).toEqual({
      source: './src/index.ts',
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
    });
    expect(readFileSync(join(ROOT, 'packages', folder, 'LICENSE'), 'utf8')).toBe(
      readFileSync(join(ROOT, 'LICENSE'), 'utf8'),
    );
    expect(readFileSync(join(ROOT, 'packages', folder, 'CHANGELOG.md'), 'utf8')).toMatch(
      new RegExp(`^# @tidings/${folder}\\n\\n## ${manifest.version.replaceAll('.', '\\.')}\\n`),
    );
  });
});

describe('the tidings bin', () => {
  it('is ./dist/bin.js, executable, with its shebang', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'packages/cli/package.json'), 'utf8')) as Manifest;
    expect(manifest.bin).toEqual({ tidings: './dist/bin.js' });
    expect(readFileSync(join(ROOT, 'packages/cli/dist/bin.js'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    // The executable bit and the shebang in the tarball are checked by contentProblems above.
    expect(reports.get('cli')?.contents).toEqual([]);
  });
});

describe('@tidings/server as published', () => {
  const manifest = () =>
    JSON.parse(readFileSync(join(ROOT, 'apps/server/package.json'), 'utf8')) as Manifest & {
      publishConfig: { exports: Record<string, unknown> };
    };

  it('passes publint (strict) and Are the Types Wrong in every resolution mode', () => {
    expect(reports.get(SERVER)?.publint).toEqual([]);
    expect(reports.get(SERVER)?.attw).toEqual([]);
    expect(reports.get(SERVER)?.entrypoints).toEqual(['.', './package.json']);
  });

  it('ships what runs (built JavaScript, config, console, the demo snapshot), no sources', () => {
    expect(reports.get(SERVER)?.contents).toEqual([]);
    const files = packed.get(SERVER)?.files ?? [];
    expect(
      files.every((file) =>
        /^(dist|config|console|demo)\/|^(package\.json|LICENSE|README\.md|CHANGELOG\.md)$/.test(file),
      ),
    ).toBe(true);
    expect(files.filter((file) => /\.ts$/.test(file) && !/\.d\.c?ts$/.test(file))).toEqual([]);
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/main.js',
        'dist/index.js',
        'dist/index.cjs',
        'config/default.yaml',
        'console/index.html',
      ]),
    );
    // The whole snapshot the default config's demo source reads: listing pages and 37 articles.
    const demo = files.filter((file) => file.startsWith('demo/jy.tj.gov.cn/')).length;
    expect(demo).toBe(
      readdirSync(join(ROOT, 'test/fixtures/jy.tj.gov.cn'), { recursive: true, withFileTypes: true }).filter(
        (entry) => entry.isFile(),
      ).length,
    );
    expect(files).toContain('demo/jy.tj.gov.cn/JYXW/TJJY/index.html');
  });

  it('declares what the registry reads, and publishes its exports without the `source` condition', () => {
    const server = manifest();
    expect(server.private).toBeUndefined();
    expect(server).toMatchObject({
      name: '@tidings/server',
      license: 'MIT',
      author: 'The Tidings authors',
      type: 'module',
      engines: { node: '>=20.11' },
      repository: {
        type: 'git',
        url: 'git+https://github.com/tidings-feeds/tidings.git',
        directory: 'apps/server',
      },
      homepage: 'https://github.com/tidings-feeds/tidings/tree/main/apps/server#readme',
      bugs: { url: 'https://github.com/tidings-feeds/tidings/issues' },
      bin: { 'tidings-server': './dist/main.js' },
      main: './dist/index.cjs',
      module: './dist/index.js',
      types: './dist/index.d.ts',
      files: ['dist', 'config', 'console', 'demo', 'README.md', 'LICENSE', 'CHANGELOG.md'],
      publishConfig: { access: 'public', provenance: true },
    });
    expect(server.keywords?.length).toBeGreaterThan(0);
    // The workspace resolves `source` to the TypeScript; npm users get only the build.
    const entry = {
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
    };
    expect(server.exports?.['.']).toEqual({ source: './src/index.ts', ...entry });
    expect(server.publishConfig.exports).toEqual({ '.': entry, './package.json': './package.json' });
    expect(readFileSync(join(ROOT, 'apps/server/LICENSE'), 'utf8')).toBe(
      readFileSync(join(ROOT, 'LICENSE'), 'utf8'),
    );
    expect(readFileSync(join(ROOT, 'apps/server/CHANGELOG.md'), 'utf8')).toMatch(/^# @tidings\/server\n/);
    expect(readFileSync(join(ROOT, 'apps/server/dist/main.js'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });
});
