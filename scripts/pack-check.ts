// Packs the seven published packages (the six under packages/ and the server in apps/server) the
// way `pnpm publish` does and checks each tarball:
// - publint, strict (warnings count as errors), every level down to suggestions: none allowed;
// - Are the Types Wrong (attw), strict profile: every entry point green in node10, node16 (from
//   CommonJS and from ESM) and bundler resolution;
// - what npm users get: no `workspace:` ranges left, LICENSE, README.md and CHANGELOG.md shipped,
//   every bin executable with its shebang.
// Builds nothing: run `pnpm build` first. `pnpm check:packages` runs it; test/package/ runs the
// same checks under Vitest, so CI does too.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const run = promisify(execFile);

export const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The folders under packages/ that are published to npm. */
export const PUBLISHED = ['parser', 'feeds', 'fetch', 'render', 'widget', 'cli'] as const;
export type PublishedFolder = (typeof PUBLISHED)[number];

/** The feed server, `@tidings/server`, published too, from apps/server. */
export const SERVER = 'server';
export type PackedFolder = PublishedFolder | typeof SERVER;

/** Where a published package lives in the repository. */
export function packageDir(folder: PackedFolder): string {
  return join(ROOT, folder === SERVER ? 'apps' : 'packages', folder);
}

/** pnpm exactly as the repository pins it (corepack is not used). */
export const PNPM = ['npx', '-y', 'pnpm@12.4.2'] as const;

export interface PackedPackage<Folder extends PackedFolder = PackedFolder> {
  folder: Folder;
  /** `@tidings/<folder>` */
  name: string;
  version: string;
  /** Absolute path of the .tgz. */
  tarball: string;
  /** Paths inside the tarball, relative to its `package/` folder. */
  files: string[];
}

export interface PackageReport {
  name: string;
  tarball: string;
  publint: string[];
  attw: string[];
  contents: string[];
  /** The entry points attw analysed (`.`, `./package.json`, …). */
  entrypoints: string[];
}

/** `pnpm pack --pack-destination <destination>` in one package folder. */
export async function packPackage<Folder extends PackedFolder>(
  folder: Folder,
  destination: string,
): Promise<PackedPackage<Folder>> {
  const cwd = packageDir(folder);
  const [command, ...args] = PNPM;
  const { stdout } = await run(command, [...args, 'pack', '--pack-destination', destination, '--json'], {
    cwd,
    maxBuffer: 16 * 1024 * 1024,
  });
  const packed = JSON.parse(stdout) as {
    name: string;
    version: string;
    filename: string;
    files: { path: string }[];
  };
  return {
    folder,
    name: packed.name,
    version: packed.version,
    tarball: resolve(cwd, packed.filename),
    files: packed.files.map((file) => file.path),
  };
}

/** Packs every published package of packages/ into `destination` (sequentially: pnpm reads the workspace each time). */
export async function packAll(destination: string): Promise<PackedPackage<PublishedFolder>[]> {
  const packed: PackedPackage<PublishedFolder>[] = [];
  for (const folder of PUBLISHED) packed.push(await packPackage(folder, destination));
  return packed;
}

/** publint on the tarball, strict, every message level: each message formatted, none expected. */
export async function publintTarball(tarball: string): Promise<string[]> {
  const bytes = readFileSync(tarball);
  const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const { messages, pkg } = await publint({ pack: { tarball: data }, level: 'suggestion', strict: true });
  return messages.map(
    (message) => `${message.type}: ${formatMessage(message, pkg, { color: false }) ?? message.code}`,
  );
}

interface AttwProblem {
  kind: string;
  entrypoint?: string;
  resolutionKind?: string;
}

/** `attw <tarball> --format json` (strict profile, every resolution mode). */
export async function attwTarball(tarball: string): Promise<{ problems: string[]; entrypoints: string[] }> {
  const attw = join(ROOT, 'node_modules', '.bin', 'attw');
  // attw exits 1 when it finds problems; the JSON on stdout says which.
  const { stdout } = await run(attw, [tarball, '--format', 'json', '--profile', 'strict'], {
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
    if (error.stdout?.trim().startsWith('{')) return { stdout: error.stdout };
    throw new Error(`attw failed on ${tarball}: ${error.stderr || error.message}`);
  });
  const report = JSON.parse(stdout) as {
    analysis: { types: unknown; entrypoints: Record<string, unknown>; problems?: AttwProblem[] };
  };
  const problems = (report.analysis.problems ?? []).map((problem) =>
    [problem.kind, problem.entrypoint, problem.resolutionKind && `(${problem.resolutionKind})`]
      .filter(Boolean)
      .join(' '),
  );
  if (report.analysis.types === false) problems.push('no types found at all');
  return { problems, entrypoints: Object.keys(report.analysis.entrypoints) };
}

/** What npm users get: the manifest as published, the legal and changelog files, executable bins. */
export async function contentProblems(packed: PackedPackage): Promise<string[]> {
  const problems: string[] = [];
  const unpacked = mkdtempSync(join(tmpdir(), 'tidings-unpack-'));
  try {
    await run('tar', ['-xzf', packed.tarball, '-C', unpacked]);
    const root = join(unpacked, 'package');
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      bin?: Record<string, string>;
      dependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies'] as const) {
      for (const [dependency, range] of Object.entries(manifest[field] ?? {})) {
        if (range.startsWith('workspace:')) problems.push(`${field}.${dependency} is still "${range}"`);
      }
    }
    for (const file of ['LICENSE', 'README.md', 'CHANGELOG.md']) {
      if (!existsSync(join(root, file))) problems.push(`${file} is not in the tarball`);
    }
    for (const [command, target] of Object.entries(manifest.bin ?? {})) {
      const file = join(root, target);
      if (!existsSync(file)) {
        problems.push(`bin ${command} → ${target} is not in the tarball`);
        continue;
      }
      if ((statSync(file).mode & 0o111) === 0) problems.push(`bin ${command} → ${target} is not executable`);
      if (!readFileSync(file, 'utf8').startsWith('#!/usr/bin/env node\n')) {
        problems.push(`bin ${command} → ${target} does not start with #!/usr/bin/env node`);
      }
    }
    const leaked = packed.files.filter(
      (file) => /(^|\/)(test|node_modules)\//.test(file) || file.endsWith('.tsbuildinfo'),
    );
    if (leaked.length > 0) problems.push(`files that users do not need: ${leaked.join(', ')}`);
  } finally {
    rmSync(unpacked, { recursive: true, force: true });
  }
  return problems;
}

/** Every check on one packed package. */
export async function checkPacked(packed: PackedPackage): Promise<PackageReport> {
  const [lint, types, contents] = await Promise.all([
    publintTarball(packed.tarball),
    attwTarball(packed.tarball),
    contentProblems(packed),
  ]);
  return {
    name: packed.name,
    tarball: packed.tarball,
    publint: lint,
    attw: types.problems,
    contents,
    entrypoints: types.entrypoints,
  };
}

async function main(): Promise<number> {
  const folders: PackedFolder[] = [...PUBLISHED, SERVER];
  const missing = folders.filter((folder) => !existsSync(join(packageDir(folder), 'dist')));
  if (missing.length > 0) {
    console.error(`pack-check: build first (pnpm build): no dist/ in ${missing.join(', ')}`);
    return 2;
  }
  const destination = mkdtempSync(join(tmpdir(), 'tidings-pack-'));
  try {
    let failed = 0;
    const all = [...(await packAll(destination)), await packPackage(SERVER, destination)];
    for (const packed of all) {
      const report = await checkPacked(packed);
      const problems = [
        ...report.publint.map((line) => `publint ${line}`),
        ...report.attw.map((line) => `attw ${line}`),
        ...report.contents.map((line) => `tarball ${line}`),
      ];
      const size = `${(statSync(packed.tarball).size / 1024).toFixed(1)} KB, ${packed.files.length} files`;
      if (problems.length === 0) {
        console.log(
          `ok   ${packed.name}@${packed.version} (${size}): publint clean, attw green for ${report.entrypoints.join(' ')}`,
        );
      } else {
        failed++;
        console.log(`FAIL ${packed.name}@${packed.version} (${size})`);
        for (const problem of problems) console.log(`     ${problem}`);
      }
    }
    console.log(failed === 0 ? 'pack-check: all packages pass' : `pack-check: ${failed} package(s) fail`);
    return failed === 0 ? 0 : 1;
  } finally {
    rmSync(destination, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
