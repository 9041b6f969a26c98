// Only the refresh-write comparison (`pnpm bench` runs it too):
// `node --conditions=source --import tsx bench/refresh-write-main.ts [iterations]`
import { refreshWriteBench, refreshWriteTable } from './refresh-write.js';

const iterations = Number(process.argv[2] ?? 50);
const rows = await refreshWriteBench((line) => process.stderr.write(`${line}\n`), {
  iterations,
  warmup: Math.min(5, iterations),
});
process.stdout.write(`${refreshWriteTable(rows)}\n`);
