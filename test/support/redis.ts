import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './server.js';

export interface TestRedis {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Shuts Redis down (SIGTERM) and removes its directory. Idempotent. */
  stop(): Promise<void>;
  /** Kills Redis at once (SIGKILL), as a crash would, and removes its directory. */
  kill(): void;
}

const READY_TIMEOUT_MS = 5000;
const STOP_TIMEOUT_MS = 5000;
const PORT_ATTEMPTS = 3;

/** Servers still running, killed if this process exits without stopping them. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * A real, empty `redis-server` on a free loopback port, persisting nothing, with its own
 * temporary directory; resolves once it answers PING.
 */
export async function startRedis(): Promise<TestRedis> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(await freePort());
    } catch (error) {
      // Another process may take the free port before redis-server binds it.
      if (!(error instanceof PortTaken) || attempt === PORT_ATTEMPTS) throw error;
    }
  }
}

class PortTaken extends Error {}

async function startOn(port: number): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-redis-'));
  const child = spawn(
    'redis-server',
    ['--save', '', '--appendonly', 'no', '--port', String(port), '--bind', '127.0.0.1', '--dir', dir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running.delete(child);
      resolve();
    });
    child.once('error', (error) => {
      output += `\n${error.message}`;
      running.delete(child);
      resolve();
    });
  });
  const removeDir = () => rmSync(dir, { recursive: true, force: true });

  try {
    await Promise.race([
      waitForPong(port),
      exited.then(() => {
        throw output.includes('Address already in use')
          ? new PortTaken(`port ${port} is taken`)
          : new Error(`redis-server exited before answering PING:\n${output}`);
      }),
    ]);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    removeDir();
    throw error;
  }

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      if (running.has(child)) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      removeDir();
    },
    kill() {
      child.kill('SIGKILL');
      removeDir();
    },
  };
}

async function waitForPong(port: number): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await answersPing(port))) {
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}
