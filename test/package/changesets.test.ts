// The release flow (.changeset/config.json): a changeset bumps the published package it names,
// prepends its line to that package's CHANGELOG.md (after the 0.1.0 entry already there), bumps
// the published packages that depend on it (the server among them), and leaves the private examples alone. Run on a
// copy of the workspace's manifests, so the repository is untouched.
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLISHED, ROOT } from '../../scripts/pack-check.js';

const exec = promisify(execFile);
const copy = mkdtempSync(join(tmpdir(), 'tidings-changesets-'));

function version(folder: string): string {
  return (JSON.parse(readFileSync(join(copy, folder, 'package.json'), 'utf8')) as { version: string })
    .version;
}

/** Every workspace project folder, as pnpm-workspace.yaml lists them (packages/*, apps/*, examples/*). */
function projects(): string[] {
  return ['packages', 'apps', 'examples'].flatMap((group) =>
    existsSync(join(ROOT, group))
      ? readdirSync(join(ROOT, group))
          .map((name) => `${group}/${name}`)
          .filter((folder) => existsSync(join(ROOT, folder, 'package.json')))
      : [],
  );
}

const before = new Map<string, string>();

beforeAll(async () => {
  const files = ['package.json', 'pnpm-workspace.yaml', '.changeset/config.json'];
  for (const folder of projects()) {
    files.push(`${folder}/package.json`);
    if (existsSync(join(ROOT, folder, 'CHANGELOG.md'))) files.push(`${folder}/CHANGELOG.md`);
  }
  for (const file of files) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(ROOT, file), join(copy, file));
  }
  // The changelog generator named in config.json resolves from here.
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  for (const folder of projects()) before.set(folder, version(folder));
  writeFileSync(
    join(copy, '.changeset/parser-fix.md'),
    '---\n"@tidings/parser": patch\n---\n\nA parser fix.\n',
  );
  await exec('node', [join(ROOT, 'node_modules/@changesets/cli/bin.js'), 'version'], {
    cwd: copy,
    timeout: 120_000,
  });
}, 240_000);

afterAll(() => rmSync(copy, { recursive: true, force: true }));

/** `0.0.1` from `0.0.0`. */
function patched(version: string): string {
  const [major, minor, patch] = version.split('.').map(Number);
  return `${major}.${minor}.${(patch ?? 0) + 1}`;
}

describe('changesets (pnpm version-packages)', () => {
  it('publishes with public access from main, and never versions the private projects', () => {
    const config = JSON.parse(readFileSync(join(ROOT, '.changeset/config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(config).toMatchObject({
      access: 'public',
      baseBranch: 'main',
      privatePackages: { version: false, tag: false },
    });
  });

  it('bumps the package a changeset names and prepends its line to that CHANGELOG.md', () => {
    expect(version('packages/parser')).toBe('0.1.1');
    const changelog = readFileSync(join(copy, 'packages/parser/CHANGELOG.md'), 'utf8');
    expect(changelog).toMatch(
      /^# @tidings\/parser\n\n## 0\.1\.1\n\n### Patch Changes\n\n- A parser fix\.\n\n## 0\.1\.0\n\n### Minor Changes\n\n- First release\./,
    );
    expect(existsSync(join(copy, '.changeset/parser-fix.md'))).toBe(false);
  });

  it('bumps the published dependents and leaves the rest alone', () => {
    for (const folder of PUBLISHED) {
      const expected = folder === 'widget' ? before.get('packages/widget') : '0.1.1';
      expect(version(`packages/${folder}`), folder).toBe(expected);
    }
    // The server is published and depends on the parser: a patch, noted in its changelog.
    expect(version('apps/server')).toBe(patched(before.get('apps/server') as string));
    const changelog = readFileSync(join(copy, 'apps/server/CHANGELOG.md'), 'utf8');
    expect(
      changelog.startsWith(`# @tidings/server\n\n## ${version('apps/server')}\n\n### Patch Changes\n`),
    ).toBe(true);
    expect(changelog).toContain('- @tidings/parser@0.1.1');
    for (const folder of projects().filter((folder) => folder.startsWith('examples/'))) {
      expect(version(folder), folder).toBe(before.get(folder));
    }
    // workspace:* ranges stay as they are; pnpm pack rewrites them on publish.
    const cli = JSON.parse(readFileSync(join(copy, 'packages/cli/package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(cli.dependencies['@tidings/parser']).toBe('workspace:*');
  });
});
