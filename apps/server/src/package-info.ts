import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * This package's folder: the nearest one above this module holding a package.json. The same from
 * `src/` (tsx, Vitest), from `dist/` in the repository, in an npm install and in the bundle.
 */
export function packageRoot(): string {
  const start = moduleDirectory();
  for (let directory = start; ; directory = dirname(directory)) {
    if (existsSync(join(directory, 'package.json'))) return directory;
    if (dirname(directory) === directory) throw new Error(`no package.json above ${start}`);
  }
}

/** The version in this package's package.json. */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

/** Computed on call: the CommonJS build has `__dirname` and no `import.meta.url`. */
function moduleDirectory(): string {
  return typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
}
