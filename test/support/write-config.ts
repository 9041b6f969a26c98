import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A config file in a directory of its own, for `loadConfig({ file })`; `remove` deletes both. */
export function writeConfig(yaml: string): { file: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-config-'));
  const file = join(dir, 'tidings.yaml');
  writeFileSync(file, yaml);
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
