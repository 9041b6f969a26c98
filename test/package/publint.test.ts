// Each published package, packed by pnpm as `pnpm publish` would, passes publint (strict, down to
// suggestions) and Are the Types Wrong (every entry point green in every resolution mode), and its
// tarball holds what npm users need and nothing from the workspace. The same checks as
// `pnpm check:packages` (scripts/pack-check.ts). Needs `pnpm build` first, as `pnpm test` does.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkPacked,
  type PackageReport,
  type PackedPackage,
  PUBLISHED,
  type PublishedFolder,
  packAll,
  ROOT,
} from '../../scripts/pack-check.js';

const TIMEOUT = 240_000;

let destination: string;
const packed = new Map<PublishedFolder, PackedPackage>();
const reports = new Map<PublishedFolder, PackageReport>();

beforeAll(async () => {
  destination = mkdtempSync(join(tmpdir(), 'tidings-publint-'));
  for (const pkg of await packAll(destination)) packed.set(pkg.folder, pkg);
  // attw and publint run in parallel for all five (attw builds a TypeScript program per mode).
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
