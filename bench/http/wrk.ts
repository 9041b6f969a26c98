// wrk, the native load generator (Debian package `wrk`), pinned to its own core so that the server
// under test has the other one to itself: a load generator sharing the server's CPU hides how much
// the server spends per request.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface WrkRun {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Socket errors and answers other than 2xx/3xx. */
  errors: number;
}

export interface WrkOptions {
  seconds: number;
  connections: number;
  headers?: Record<string, string>;
  /** A Lua script for wrk (e.g. a fresh query string per request). */
  script?: string;
  /** The core wrk runs on. */
  cpu: number;
}

const UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function milliseconds(text: string | undefined): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text ?? '');
  return match ? Number(match[1]) * (UNITS[match[2] as string] ?? Number.NaN) : Number.NaN;
}

/** One wrk run; asynchronous, so the caller can sample the server while it runs. */
export async function wrk(url: string, options: WrkOptions): Promise<WrkRun> {
  const args = [
    '-c',
    String(options.cpu),
    'wrk',
    '-t1',
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    '--latency',
  ];
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push('-H', `${name}: ${value}`);
  if (options.script) args.push('-s', options.script);
  const { stdout: output } = await run('taskset', [...args, url], { encoding: 'utf8' });
  const number = (pattern: RegExp) => Number(pattern.exec(output)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  return {
    requestsPerSecond: number(/Requests\/sec:\s+([\d.]+)/),
    p50Ms: milliseconds(/\s50%\s+(\S+)/.exec(output)?.[1]),
    p99Ms: milliseconds(/\s99%\s+(\S+)/.exec(output)?.[1]),
    requests: number(/(\d+) requests in/),
    errors:
      number(/Non-2xx or 3xx responses: (\d+)/) +
      (socketErrors ? socketErrors.slice(1).reduce((sum, count) => sum + Number(count), 0) : 0),
  };
}

/** Whether wrk and taskset are installed (scripts/system-deps.sh installs wrk). */
export function hasWrk(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
  } catch (error) {
    // wrk --version exits 1 after printing its version.
    if ((error as { status?: number }).status !== 1) return false;
  }
  try {
    execFileSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
