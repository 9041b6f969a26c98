import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * An example's README command, `npx -y pnpm@12.4.2 --filter <name> start [args…]`, from the
 * repository root, in its own process group (so `stop` reaches the node process under pnpm).
 * npx is told to prefer its cache, so a cached pnpm starts without asking the registry.
 */
export function startExample(name: string, args: string[] = [], env: Record<string, string> = {}) {
  const child = spawn('npx', ['-y', 'pnpm@12.4.2', '--filter', name, 'start', ...args], {
    cwd: ROOT,
    env: { ...process.env, npm_config_prefer_offline: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  return withOutput(child);
}

/** The node command an example's start script runs, in the example's folder. */
export function runNode(name: string, args: string[]) {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', ...args], {
    cwd: `${ROOT}examples/${name}`,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return withOutput(child);
}

function withOutput(child: ChildProcess) {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // 'close': every process holding the pipes (npx, pnpm, sh, node) is gone.
  const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return {
    child,
    output: () => ({ stdout, stderr }),
    /** Resolves with the exit code once it has ended on its own. */
    done: async () => ({ code: await closed, stdout, stderr }),
    /** SIGTERM to the whole process group; resolves when all of it has exited. */
    stop: async () => {
      if (child.exitCode === null && child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
      await closed;
      return { stdout, stderr };
    },
  };
}
