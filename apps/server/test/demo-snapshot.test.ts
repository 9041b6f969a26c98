// The demo's snapshot ships inside the package (demo/, committed: git stores identical files once,
// and it is there without a build for `pnpm start`, the tests, `pnpm deploy` and the image). It
// must stay the copy of test/fixtures/jy.tj.gov.cn that the rest of the tests read.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundledConfigPath, readConfigFile } from '../src/config/load.js';

const SERVER = fileURLToPath(new URL('../', import.meta.url));
const SHIPPED = join(SERVER, 'demo/jy.tj.gov.cn');
const FIXTURE = fileURLToPath(new URL('../../../test/fixtures/jy.tj.gov.cn', import.meta.url));

function files(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1))
    .sort();
}

describe('the demo snapshot in the package', () => {
  it('is test/fixtures/jy.tj.gov.cn, file for file and byte for byte', () => {
    const shipped = files(SHIPPED);
    expect(shipped).toEqual(files(FIXTURE));
    expect(shipped.filter((file) => /^JYXW\/TJJY\/\d{6}\/t\d+_\d+\.html$/.test(file))).toHaveLength(37);
    for (const file of shipped) {
      expect(readFileSync(join(SHIPPED, file)).equals(readFileSync(join(FIXTURE, file))), file).toBe(true);
    }
  });

  it('is what the default config reads, by a path inside the package', () => {
    const demo = readConfigFile(bundledConfigPath()).sources.find((source) => source.id === 'demo');
    expect(demo?.snapshot).toBe(SHIPPED);
    expect(readFileSync(bundledConfigPath(), 'utf8')).toContain('    snapshot: ../demo/jy.tj.gov.cn\n');
  });
});
