import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError } from '../errors.js';
import { packageRoot } from '../package-info.js';
import { describeIssues } from './issues.js';
import { adminToken, type ConfigFile, configFileSchema } from './schema.js';
import { show } from './show.js';
import type { ServerConfig } from './types.js';

export interface LoadConfigOptions {
  /** The YAML file; default `TIDINGS_CONFIG` from `env`, else the bundled `config/default.yaml`. */
  file?: string;
  /**
   * Default `process.env`. Read: TIDINGS_CONFIG, PORT, TIDINGS_DATA_DIR, TIDINGS_DATABASE_URL,
   * TIDINGS_REDIS_URL, TIDINGS_ADMIN_TOKEN, and
   * the TIDINGS_… variables a source's `headers` and `cookies` name.
   */
  env?: NodeJS.ProcessEnv;
}

const DEFAULT_PORT = 3000;
const DEFAULT_DATA_DIR = './data';
const BUNDLED_CONFIG = join('config', 'default.yaml');

/**
 * The server's configuration: the YAML file, validated, with defaults applied and paths
 * resolved, plus PORT and TIDINGS_DATA_DIR (resolved against the working directory) from the environment.
 *
 * @throws {ConfigError} naming the file, the key and the value: `missing-file`, `unreadable-file`,
 *   `yaml-syntax` (with line and column), `empty-file`, `invalid-config` (every problem, one line
 *   each), `bad-env`
 */
export function loadConfig(options: LoadConfigOptions = {}): ServerConfig {
  const env = options.env ?? process.env;
  const file = options.file ?? (env.TIDINGS_CONFIG || undefined) ?? bundledConfigPath();
  const fromFile = readConfigFile(file, env);
  return withEnvironment(fromFile, file, env);
}

/** A config file's settings with what the environment adds or overrides (PORT, TIDINGS_…). */
export function withEnvironment(fromFile: ConfigFile, file: string, env: NodeJS.ProcessEnv): ServerConfig {
  const adminToken = readAdminToken(env.TIDINGS_ADMIN_TOKEN);
  return {
    ...fromFile,
    ...readStoreUrl(env),
    ...(adminToken !== undefined && { admin: { token: adminToken } }),
    file: resolve(file),
    port: readPort(env.PORT),
    dataDir: resolve(env.TIDINGS_DATA_DIR || DEFAULT_DATA_DIR),
  };
}

/** Reads and validates one config file; `file` is named in messages as given. */
export function readConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): ConfigFile {
  return parseConfigText(readText(file, resolve(file)), file, env).config;
}

/** A config file's text, validated: the settings, and the YAML as plain data (what the file says, before defaults). */
export function parseConfigText(
  text: string,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): { config: ConfigFile; data: Record<string, unknown> } {
  const data = parseYaml(text, file);
  if (data === null || data === undefined) {
    throw new ConfigError('empty-file', `${file}: the file is empty; it needs a "sources:" list`, { file });
  }
  const parsed = configFileSchema(dirname(resolve(file)), env).safeParse(data, { reportInput: true });
  if (parsed.success) return { config: parsed.data, data: data as Record<string, unknown> };
  const problems = describeIssues(parsed.error.issues);
  const [first] = problems;
  throw new ConfigError(
    'invalid-config',
    problems.map((problem) => [file, problem.path, problem.message].filter(Boolean).join(': ')).join('\n'),
    { file, ...(first && { path: first.path, value: first.value }), problems, cause: parsed.error },
  );
}

function readText(file: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ConfigError('missing-file', `${file}: no such config file (looked for ${path})`, {
        file,
        cause: error,
      });
    }
    const reason =
      code === 'EISDIR' ? 'is a directory, not a file' : `cannot be read (${code ?? String(error)})`;
    throw new ConfigError('unreadable-file', `${file}: ${reason} (${path})`, { file, cause: error });
  }
}

function parseYaml(text: string, file: string): unknown {
  const document = parseDocument(text, { prettyErrors: true });
  const [error] = document.errors;
  if (error) {
    const position = error.linePos?.[0];
    const where = position ? `line ${position.line}, column ${position.col}: ` : '';
    // prettyErrors appends " at line L, column C:" and the offending lines with a caret: keep those.
    const [reason, ...excerpt] = error.message.split('\n');
    const message = reason?.replace(/ at line \d+, column \d+:?$/, '') ?? error.code;
    throw new ConfigError(
      'yaml-syntax',
      [`${file}: ${where}YAML syntax error: ${message}`, ...excerpt].join('\n').trimEnd(),
      {
        file,
        cause: error,
      },
    );
  }
  return document.toJS();
}

function readAdminToken(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const result = adminToken().safeParse(value);
  if (result.success) return value;
  throw new ConfigError('bad-env', `TIDINGS_ADMIN_TOKEN: ${result.error.issues[0]?.message}`, {
    path: 'TIDINGS_ADMIN_TOKEN',
    value: '(hidden)',
  });
}

/**
 * The store the environment names, winning over the file's `store:`: a PostgreSQL URL from
 * TIDINGS_DATABASE_URL or a Redis URL from TIDINGS_REDIS_URL; both at once is ambiguous.
 */
function readStoreUrl(env: NodeJS.ProcessEnv): { store?: string } {
  const database = env.TIDINGS_DATABASE_URL || undefined;
  const redis = env.TIDINGS_REDIS_URL || undefined;
  if (database !== undefined && redis !== undefined) {
    throw new ConfigError(
      'bad-env',
      'TIDINGS_DATABASE_URL and TIDINGS_REDIS_URL are both set: set one (PostgreSQL needs no Redis)',
      { path: 'TIDINGS_DATABASE_URL', value: '(hidden)' },
    );
  }
  if (database !== undefined && !/^postgres(ql)?:\/\//.test(database)) {
    throw new ConfigError(
      'bad-env',
      'TIDINGS_DATABASE_URL: expected a postgres:// or postgresql:// URL (e.g. postgres://tidings:…@db:5432/tidings)',
      { path: 'TIDINGS_DATABASE_URL', value: '(hidden)' },
    );
  }
  const store = database ?? redis;
  return store === undefined ? {} : { store };
}

function readPort(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_PORT;
  const port = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (port >= 1 && port <= 65535) return port;
  throw new ConfigError('bad-env', `PORT: ${show(value)} is not a port number (use 1 to 65535)`, {
    path: 'PORT',
    value,
  });
}

/** `config/default.yaml` of this package, in the repository, an npm install and the bundle alike. */
export function bundledConfigPath(): string {
  const root = packageRoot();
  const path = join(root, BUNDLED_CONFIG);
  if (existsSync(path)) return path;
  throw new ConfigError(
    'missing-file',
    `The bundled ${BUNDLED_CONFIG} was not found in ${root}: pass a config file or set TIDINGS_CONFIG.`,
  );
}
