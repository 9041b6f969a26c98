import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './server.js';

export interface TestPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`, the maintenance database. */
  url: string;
  port: number;
  /** A new, empty database on this server; its URL. */
  createDatabase(): Promise<string>;
  /** Runs one statement on the database at `on` (default the maintenance one); its rows. */
  query<Row = Record<string, unknown>>(sql: string, values?: unknown[], on?: string): Promise<Row[]>;
  /** Shuts PostgreSQL down (fast: open connections are closed) and removes its directory. Idempotent. */
  stop(): Promise<void>;
  /** Kills the postmaster at once (SIGKILL), as a crash would, and removes its directory. */
  kill(): void;
}

const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;
const PORT_ATTEMPTS = 3;
/** PostgreSQL refuses to run as root: as root, the servers run as this system user. */
const SYSTEM_USER = 'postgres';

interface Client {
  connect(): Promise<void>;
  query(sql: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  end(): Promise<void>;
}
// The server's own PostgreSQL driver, borrowed from its package (not a dependency of the tests).
const { Client } = createRequire(new URL('../../apps/server/package.json', import.meta.url))('pg') as {
  Client: new (config: { connectionString: string }) => Client;
};

/** Postmasters still running, stopped at once if this process exits without stopping them. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  // SIGQUIT: an immediate shutdown, which also ends the postmaster's own children.
  for (const child of running) child.kill('SIGQUIT');
});

let databases = 0;

export interface StartPostgresOptions {
  /**
   * Commit as production does (fsync, synchronous commit, full-page writes), for benchmarks.
   * Default false: tests skip the disk flushes, which only a power loss would need.
   */
  durable?: boolean;
}

/**
 * A real, empty PostgreSQL cluster (Debian's `postgresql`: `initdb` into a temporary directory),
 * trusting local connections, listening on 127.0.0.1 only on a free port, its socket inside its
 * directory, without fsync unless `durable`; resolves once it accepts connections. As root it runs
 * as the `postgres` system user, which owns the directory; otherwise as the current user.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<TestPostgres> {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'tidings-pg-'));
  const asUser = ownedByServerUser(dir);
  const data = join(dir, 'data');
  try {
    const init = spawnSync(
      ...asUser(join(bin, 'initdb'), [
        '--pgdata',
        data,
        '--auth',
        'trust',
        '--username',
        'postgres',
        '--encoding',
        'UTF8',
        '--locale',
        'C',
        '--no-sync',
        '--no-instructions',
      ]),
      { cwd: dir, encoding: 'utf8' },
    );
    if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}${init.stderr}${init.error ?? ''}`);
    for (let attempt = 1; ; attempt++) {
      try {
        return await startOn(await freePort(), { bin, dir, data, asUser, durable: options.durable ?? false });
      } catch (error) {
        // Another process may take the free port before the postmaster binds it.
        if (!(error instanceof PortTaken) || attempt === PORT_ATTEMPTS) throw error;
      }
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

class PortTaken extends Error {}

type AsUser = (command: string, args: string[]) => [string, string[]];

async function startOn(
  port: number,
  {
    bin,
    dir,
    data,
    asUser,
    durable,
  }: { bin: string; dir: string; data: string; asUser: AsUser; durable: boolean },
): Promise<TestPostgres> {
  const fast = durable ? [] : ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'];
  const [command, args] = asUser(join(bin, 'postgres'), [
    '-D',
    data,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${dir}`,
    '-c',
    'max_connections=300',
    ...fast.flatMap((setting) => ['-c', setting]),
  ]);
  const child = spawn(command, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const ready = new Promise<void>((resolve) => {
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8000);
      if (output.includes('database system is ready to accept connections')) resolve();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  });
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

  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      ready,
      exited.then(() => {
        throw output.includes('Address already in use')
          ? new PortTaken(`port ${port} is taken`)
          : new Error(`postgres exited before accepting connections:\n${output}`);
      }),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`postgres did not start in ${READY_TIMEOUT_MS} ms:\n${output}`)),
          READY_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  } finally {
    clearTimeout(timer);
  }

  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const query = async <Row>(sql: string, values: unknown[] = [], on = url): Promise<Row[]> => {
    const client = new Client({ connectionString: on });
    await client.connect();
    try {
      return (await client.query(sql, values)).rows as Row[];
    } finally {
      await client.end();
    }
  };
  return {
    url,
    port,
    query,
    async createDatabase() {
      const name = `test_${process.pid}_${++databases}`;
      await query(`CREATE DATABASE ${name}`);
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      if (running.has(child)) {
        child.kill('SIGINT'); // fast shutdown: clients still connected are disconnected
        const force = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(force);
      }
      removeDir();
    },
    kill() {
      child.kill('SIGKILL');
      removeDir();
    },
  };
}

/** The newest installed PostgreSQL's bin directory (Debian: /usr/lib/postgresql/<major>/bin). */
function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((major) => existsSync(join(root, major, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors.length === 0) {
    throw new Error(`No PostgreSQL under ${root}: run scripts/system-deps.sh (apt-get install postgresql).`);
  }
  return join(root, majors[0] as string, 'bin');
}

/**
 * How to run PostgreSQL's programs on `dir`: as root, as the `postgres` system user (who is
 * given the directory); otherwise as ourselves.
 */
function ownedByServerUser(dir: string): AsUser {
  if (process.getuid?.() !== 0) return (command, args) => [command, args];
  const uid = Number(spawnSync('id', ['-u', SYSTEM_USER], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', SYSTEM_USER], { encoding: 'utf8' }).stdout.trim());
  if (!Number.isInteger(uid) || uid <= 0 || !Number.isInteger(gid)) {
    throw new Error(`Running as root, but there is no "${SYSTEM_USER}" user to run PostgreSQL as.`);
  }
  chownSync(dir, uid, gid);
  return (command, args) => [
    'setpriv',
    [`--reuid=${uid}`, `--regid=${gid}`, '--init-groups', '--', command, ...args],
  ];
}
