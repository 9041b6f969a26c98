// The tidings-server command line: what each flag asks for, and the built bin's answers and exit
// codes (0 done, 1 a bad config or environment, 2 a bad command line) without starting a server.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCommandLine, USAGE, UsageError } from '../src/cli/args.js';
import { checkConfig } from '../src/cli/check.js';

const exec = promisify(execFile);
const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tidings-cli-'));
const GOOD = join(dir, 'good.yaml');
const BAD = join(dir, 'bad.yaml');
writeFileSync(
  GOOD,
  'sources:\n  - id: a\n    url: https://a.example/\nfeeds:\n  - id: a-hant\n    source: a\n    lang: zh-Hant\n',
);
writeFileSync(BAD, 'sources:\n  - id: a\n    url: nowhere\n    refresh: soon\n');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The built bin, from an empty working directory; its exit code and output whether it fails or not. */
async function bin(args: string[], env: NodeJS.ProcessEnv = {}) {
  const cwd = mkdtempSync(join(dir, 'cwd-'));
  const base = { ...process.env, TIDINGS_CONFIG: '', LOG_FORMAT: '', PORT: '' };
  try {
    const { stdout, stderr } = await exec(process.execPath, [MAIN, ...args], {
      cwd,
      env: { ...base, ...env },
    });
    return { code: 0, stdout, stderr, wrote: readdirSync(cwd) };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr, wrote: readdirSync(cwd) };
  }
}

describe('parseCommandLine', () => {
  it('serves by default, with --config or -c naming the file', () => {
    expect(parseCommandLine([])).toEqual({ kind: 'serve' });
    expect(parseCommandLine(['--config', 'x.yaml'])).toEqual({ kind: 'serve', file: 'x.yaml' });
    expect(parseCommandLine(['-c', 'x.yaml'])).toEqual({ kind: 'serve', file: 'x.yaml' });
    expect(parseCommandLine(['--config=x.yaml', '--check'])).toEqual({ kind: 'check', file: 'x.yaml' });
    expect(parseCommandLine(['--check'])).toEqual({ kind: 'check' });
  });

  it('answers --help before --version, and both before anything else', () => {
    expect(parseCommandLine(['--check', '--version', '--help'])).toEqual({ kind: 'help' });
    expect(parseCommandLine(['-v', '--check'])).toEqual({ kind: 'version' });
    expect(parseCommandLine(['-h'])).toEqual({ kind: 'help' });
  });

  it('refuses what it does not take, in one line', () => {
    expect(() => parseCommandLine(['--port', '80'])).toThrow(new UsageError('unknown option --port'));
    expect(() => parseCommandLine(['x.yaml'])).toThrow(
      new UsageError('unexpected argument "x.yaml" (a config file goes after --config)'),
    );
    expect(() => parseCommandLine(['--config'])).toThrow(new UsageError('--config needs a file name'));
    expect(() => parseCommandLine(['--config', ''])).toThrow(new UsageError('--config needs a file name'));
  });
});

describe('checkConfig', () => {
  it('sums a valid config up in one line', () => {
    expect(checkConfig(GOOD, {})).toEqual({ ok: true, line: `${GOOD}: OK, 1 source, 1 derived feed` });
  });

  it('lists every problem of the file and of the environment', () => {
    const result = checkConfig(BAD, { PORT: 'eighty', LOG_FORMAT: 'xml' });
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems.split('\n');
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^.*bad\.yaml: sources\[0\]\.url: "nowhere"/);
    expect(problems[1]).toMatch(/^.*bad\.yaml: sources\[0\]\.refresh: "soon"/);
    expect(problems[2]).toBe('LOG_FORMAT: "xml" is not a log format (use json or pretty)');
  });

  it('checks the environment the server would read with a good file too', () => {
    expect(checkConfig(GOOD, { PORT: 'eighty' })).toEqual({
      ok: false,
      problems: 'PORT: "eighty" is not a port number (use 1 to 65535)',
    });
  });
});

describe('the built tidings-server', () => {
  it('--help and --version print to stdout and exit 0', async () => {
    expect(await bin(['--help'])).toEqual({ code: 0, stdout: USAGE, stderr: '', wrote: [] });
    const version = await bin(['--version']);
    expect(version).toMatchObject({ code: 0, stderr: '', wrote: [] });
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('a bad flag: one line, then the usage, exit 2', async () => {
    const result = await bin(['--verbose']);
    expect(result).toMatchObject({ code: 2, stdout: '', wrote: [] });
    expect(result.stderr).toBe(`tidings-server: unknown option --verbose\n\n${USAGE}`);
  });

  it('--check: exit 0 with one line, or 1 with every problem; no server, nothing written', async () => {
    expect(await bin(['--check', '-c', GOOD])).toEqual({
      code: 0,
      stdout: `${GOOD}: OK, 1 source, 1 derived feed\n`,
      stderr: '',
      wrote: [],
    });
    const bad = await bin(['--check', '-c', BAD]);
    expect(bad).toMatchObject({ code: 1, stdout: '', wrote: [] });
    expect(bad.stderr.trimEnd().split('\n')).toHaveLength(2);
  });

  it('a bad LOG_FORMAT stops the server before it starts, in one line, exit 1', async () => {
    const result = await bin(['-c', GOOD], { LOG_FORMAT: 'xml' });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'tidings-server: LOG_FORMAT: "xml" is not a log format (use json or pretty)\n',
      wrote: [],
    });
  });
});
