/**
 * `pnpm bench`: parse throughput and peak memory of parseListing against bare htmlparser2
 * passes over the same bytes, measured in the same run. Medians; ratios to the tokenizer floor.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { cases, contenders, FLOOR } from './contenders.js';

interface Row {
  case: string;
  contender: string;
  medianMs: number;
  mibPerS: number;
  itemsPerS: number;
  ratioToTokenizer: number;
  ratioToDom: number;
  peakRssMiB: number;
  rssGrowthMiB: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

function peakMemory(caseIndex: number, contender: string) {
  const output = execFileSync(
    process.execPath,
    [
      '--expose-gc',
      '--conditions=source',
      '--import',
      'tsx',
      fileURLToPath(new URL('./memory.ts', import.meta.url)),
      String(caseIndex),
      contender,
    ],
    { encoding: 'utf8', maxBuffer: 1024 * 1024 },
  );
  const { baselineKiB, peakKiB } = JSON.parse(output) as { baselineKiB: number; peakKiB: number };
  return { peakRssMiB: peakKiB / 1024, rssGrowthMiB: (peakKiB - baselineKiB) / 1024 };
}

const rows: Row[] = [];
for (const [caseIndex, benchCase] of cases.entries()) {
  const bytes = benchCase.bytes();
  const names = Object.keys(contenders);
  const times = new Map<string, number[]>(names.map((name) => [name, []]));
  process.stderr.write(
    `${benchCase.name}: ${(bytes.length / 1024).toFixed(0)} KiB, ${benchCase.rounds} rounds…\n`,
  );
  for (let round = 0; round < benchCase.warmup + benchCase.rounds; round++) {
    // Interleaved, so machine noise lands on every contender alike.
    for (const name of names) {
      const run = contenders[name] as (bytes: Buffer) => unknown;
      const start = performance.now();
      run(bytes);
      const elapsed = performance.now() - start;
      if (round >= benchCase.warmup) times.get(name)?.push(elapsed);
    }
  }
  const floor = median(times.get(FLOOR) ?? []);
  const dom = median(times.get('htmlparser2 DOM') ?? []);
  for (const name of names) {
    const ms = median(times.get(name) ?? []);
    process.stderr.write(`  ${name}: ${ms.toFixed(2)} ms; measuring memory…\n`);
    rows.push({
      case: benchCase.name,
      contender: name,
      medianMs: ms,
      mibPerS: bytes.length / 1024 / 1024 / (ms / 1000),
      itemsPerS: benchCase.items / (ms / 1000),
      ratioToTokenizer: ms / floor,
      ratioToDom: ms / dom,
      ...peakMemory(caseIndex, name),
    });
  }
}

const machine = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
  loadAverage: os.loadavg().map((load) => load.toFixed(2)),
};

const table = [
  '| case | contender | median ms | MiB/s | items/s | × tokenizer | × DOM | peak RSS MiB | RSS growth MiB |',
  '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map(
    (row) =>
      `| ${row.case} | ${row.contender} | ${row.medianMs.toFixed(2)} | ${row.mibPerS.toFixed(1)} | ${Math.round(row.itemsPerS).toLocaleString('en')} | ${row.ratioToTokenizer.toFixed(2)} | ${row.ratioToDom.toFixed(2)} | ${row.peakRssMiB.toFixed(0)} | ${row.rssGrowthMiB.toFixed(0)} |`,
  ),
].join('\n');

const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(resultsDir, { recursive: true });
writeFileSync(`${resultsDir}latest.json`, `${JSON.stringify({ machine, rows }, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(machine)}\n\n${table}\n`);
