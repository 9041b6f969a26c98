import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The offline demo as the load tests serve it: the snapshot by absolute path, no rate limit (one client on purpose). */
export const DEMO_LOAD_CONFIG = [
  'rateLimit: false # one client on purpose',
  'sources:',
  '  - id: demo',
  '    url: https://jy.tj.gov.cn/JYXW/TJJY/',
  `    snapshot: ${join(ROOT, 'test/fixtures/jy.tj.gov.cn')}`,
  '    pages: 3',
  '    refresh: 1h',
  '    allowPrivateNetwork: true',
  '',
].join('\n');

/** A process's resident memory, from /proc (what the kernel holds for it, V8 or not). */
export function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}
