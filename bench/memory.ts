// One contender on one case in a fresh process: peak RSS is only meaningful in isolation.
// Linux: the peak (VmHWM) is reset after set-up via /proc/self/clear_refs, so loading the
// toolchain and building the input do not count; elsewhere it falls back to getrusage's maxRSS.
import { readFileSync, writeFileSync } from 'node:fs';
import { cases, contenders } from './contenders.js';

const [caseIndex, name] = process.argv.slice(2);
const benchCase = cases[Number(caseIndex)];
const contender = name === undefined ? undefined : contenders[name];
if (!benchCase || !contender) throw new Error('usage: memory.ts <case index> <contender>');

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

const bytes = benchCase.bytes();
(globalThis as { gc?: () => void }).gc?.();
const precise = resetPeak();
const baselineKiB = precise ? (statusKiB('VmRSS') ?? 0) : process.resourceUsage().maxRSS;
const result = contender(bytes);
const peakKiB = precise ? (statusKiB('VmHWM') ?? 0) : process.resourceUsage().maxRSS;
process.stdout.write(`${JSON.stringify({ baselineKiB, peakKiB, precise, kept: result !== undefined })}\n`);
