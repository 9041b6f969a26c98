// Runs one contender on one case in a fresh process and prints its timings and peak memory as
// JSON. A process per contender keeps each one's garbage and JIT state from touching the others.
// Linux: the peak (VmHWM) is reset after set-up via /proc/self/clear_refs, so loading the
// toolchain and building the input do not count; elsewhere it falls back to getrusage's maxRSS.
import { readFileSync, writeFileSync } from 'node:fs';
import { cases, contenders } from './contenders.js';

export interface WorkerResult {
  timesMs: number[];
  baselineKiB: number;
  peakKiB: number;
  precisePeak: boolean;
}

const [caseIndex, name, inputFile] = process.argv.slice(2);
const benchCase = cases[Number(caseIndex)];
const contender = name === undefined ? undefined : contenders[name];
if (!benchCase || !contender || !inputFile)
  throw new Error('usage: worker.ts <case index> <contender> <input file>');

function statusKiB(field: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function resetPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

// Read from a file the parent wrote: building the input here would grow the heap before the
// baseline and hide what the contender itself needs.
const bytes = readFileSync(inputFile);
const precisePeak = resetPeak();
const baselineKiB = precisePeak ? (statusKiB('VmRSS') ?? 0) : process.resourceUsage().maxRSS;
// The first run is both the memory measurement and a warm-up.
contender(bytes);
const peakKiB = precisePeak ? (statusKiB('VmHWM') ?? 0) : process.resourceUsage().maxRSS;
for (let i = 1; i < benchCase.warmup; i++) contender(bytes);

const timesMs: number[] = [];
for (let i = 0; i < benchCase.runs; i++) {
  const start = performance.now();
  contender(bytes);
  timesMs.push(performance.now() - start);
}
const result: WorkerResult = { timesMs, baselineKiB, peakKiB, precisePeak };
process.stdout.write(`${JSON.stringify(result)}\n`);
