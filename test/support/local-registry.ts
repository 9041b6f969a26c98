// An npm registry on 127.0.0.1, so that installing a packed package outside the workspace contacts
// no other host: it serves our own tarballs (as `pnpm pack` made them) and every third-party package
// they need at run time, packed from the workspace's node_modules exactly as pnpm installed them
// (better-sqlite3 with the native module it built, so the install runs no build script and
// downloads no prebuilt binary).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  [key: string]: unknown;
}

/** One version the registry serves: its manifest and where its tarball comes from. */
interface Entry {
  manifest: Manifest;
  /** A tarball as is (our packages), or a package folder to pack on first request. */
  tarball?: string;
  folder?: string;
  packed?: Promise<Buffer>;
}

export interface LocalRegistry {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  /** `name@version` of everything it serves. */
  packages: string[];
  close(): Promise<void>;
}

/**
 * Serves `tarballs` (our packed packages) and the run-time dependency closure of the workspace
 * package folders `from` (dependencies, optional and peer dependencies, as resolved from each
 * installed folder; workspace packages are followed but not served from their folders).
 */
export async function startLocalRegistry(options: {
  tarballs: string[];
  from: string[];
}): Promise<LocalRegistry> {
  const entries = new Map<string, Map<string, Entry>>();
  const add = (entry: Entry) => {
    const versions = entries.get(entry.manifest.name) ?? new Map<string, Entry>();
    entries.set(entry.manifest.name, versions);
    if (!versions.has(entry.manifest.version)) versions.set(entry.manifest.version, entry);
  };
  for (const tarball of options.tarballs) {
    const { stdout } = await run('tar', ['-xzOf', tarball, 'package/package.json']);
    add({ manifest: JSON.parse(stdout) as Manifest, tarball });
  }
  const ours = new Set(entries.keys());
  for (const folder of closure(options.from)) {
    const manifest = readManifest(folder);
    if (!ours.has(manifest.name)) add({ manifest, folder });
  }

  let base = '';
  const server = createServer((request, response) => {
    answer(request.url ?? '/').then(
      ([status, type, body]) => response.writeHead(status, { 'content-type': type }).end(body),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  });
  const answer = async (path: string): Promise<[number, string, string | Buffer]> => {
    const tarball = /^\/-\/(.+)\/(.+)\.tgz$/.exec(path);
    if (tarball) {
      const entry = entries.get(decodeURIComponent(tarball[1] as string))?.get(tarball[2] as string);
      return entry
        ? [200, 'application/octet-stream', await bytes(entry)]
        : [404, 'text/plain', 'no such tarball'];
    }
    const name = decodeURIComponent(path.slice(1).split('?')[0] as string);
    const versions = entries.get(name);
    if (!versions) return [404, 'application/json', '{"error":"not found"}'];
    const packument: Record<string, unknown> = { name, versions: {}, 'dist-tags': {} };
    for (const [version, entry] of versions) {
      const body = await bytes(entry);
      (packument.versions as Record<string, unknown>)[version] = {
        ...entry.manifest,
        dist: {
          tarball: `${base}-/${encodeURIComponent(name)}/${version}.tgz`,
          integrity: `sha512-${createHash('sha512').update(body).digest('base64')}`,
          shasum: createHash('sha1').update(body).digest('hex'),
        },
      };
    }
    (packument['dist-tags'] as Record<string, string>).latest = [...versions.keys()]
      .sort(byVersion)
      .at(-1) as string;
    return [200, 'application/json', JSON.stringify(packument)];
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  base = `http://127.0.0.1:${port}/`;
  return {
    url: base,
    packages: [...entries.values()].flatMap((versions) =>
      [...versions.values()].map((entry) => `${entry.manifest.name}@${entry.manifest.version}`),
    ),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A package's tarball: read, or its installed folder packed as `package/…`, once. */
function bytes(entry: Entry): Promise<Buffer> {
  if (entry.tarball) return Promise.resolve(readFileSync(entry.tarball));
  entry.packed ??= run(
    'tar',
    ['-cz', '--hard-dereference', '--transform', 's,^\\.,package,', '-C', entry.folder as string, '.'],
    {
      encoding: 'buffer',
      maxBuffer: 256 * 1024 * 1024,
    },
  ).then(({ stdout }) => stdout);
  return entry.packed;
}

/** Every installed package folder (real paths) that the folders `from` need at run time, `from` included. */
function closure(from: string[]): string[] {
  const seen = new Set<string>();
  const visit = (folder: string) => {
    const real = realpathSync(folder);
    if (seen.has(real)) return;
    seen.add(real);
    const manifest = readManifest(real);
    const required = Object.keys(manifest.dependencies ?? {});
    const optional = [
      ...Object.keys(manifest.optionalDependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}),
    ];
    for (const name of required) {
      const found = resolvePackage(name, real);
      if (!found) throw new Error(`${manifest.name} needs ${name}, which is not installed`);
      visit(found);
    }
    for (const name of optional) {
      const found = resolvePackage(name, real);
      if (found) visit(found);
    }
  };
  for (const folder of from) visit(folder);
  return [...seen];
}

/** Node's lookup: `node_modules/<name>` in the folder or the nearest folder above it that has one. */
function resolvePackage(name: string, from: string): string | undefined {
  for (let folder = from; ; folder = dirname(folder)) {
    const candidate = join(folder, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(folder) === folder) return undefined;
  }
}

function readManifest(folder: string): Manifest {
  return JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as Manifest;
}

function byVersion(a: string, b: string): number {
  const parts = (version: string) => version.split(/[.+-]/).map((part) => Number(part) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let index = 0; index < Math.max(x.length, y.length); index++) {
    const difference = (x[index] ?? 0) - (y[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
