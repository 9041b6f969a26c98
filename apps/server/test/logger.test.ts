// Log lines: JSON for machines (the default: a pipe, a file, the journal, a container's log), pino-pretty
// for a person at a terminal. The choice, then real processes writing through the built logger to
// a pipe and to a terminal (a pseudo-terminal from util-linux's `script`).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { chooseLogFormat } from '../src/logger.js';

const exec = promisify(execFile);
const BUILT = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const LOG_ONE_LINE = `import(${JSON.stringify(BUILT)}).then(({ createLogger }) => createLogger('info').info({ source: 'demo', added: 37 }, 'refreshed'))`;

/** What the built logger writes for one line, on a pipe or a terminal, with LOG_FORMAT as given. */
async function logLine(output: 'pipe' | 'terminal', logFormat?: string): Promise<string> {
  const { LOG_FORMAT: _inherited, ...rest } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...rest,
    NO_COLOR: '1',
    ...(logFormat !== undefined && { LOG_FORMAT: logFormat }),
  };
  const node = [process.execPath, '-e', LOG_ONE_LINE];
  const { stdout } =
    output === 'pipe'
      ? await exec(node[0] as string, node.slice(1), { env })
      : await exec(
          'script',
          ['-qec', node.map((part) => `'${part.replaceAll("'", "'\\''")}'`).join(' '), '/dev/null'],
          {
            env,
          },
        );
  return stdout.replaceAll('\r\n', '\n').trim();
}

describe('chooseLogFormat', () => {
  it('writes JSON unless stdout is a terminal; LOG_FORMAT wins either way', () => {
    expect(chooseLogFormat(undefined, false)).toBe('json');
    expect(chooseLogFormat('', false)).toBe('json');
    expect(chooseLogFormat(undefined, true)).toBe('pretty');
    expect(chooseLogFormat('', true)).toBe('pretty');
    expect(chooseLogFormat('json', true)).toBe('json');
    expect(chooseLogFormat('pretty', false)).toBe('pretty');
  });

  it('refuses any other LOG_FORMAT, naming it and the choices', () => {
    expect(() => chooseLogFormat('xml', false)).toThrow(
      'LOG_FORMAT: "xml" is not a log format (use json or pretty)',
    );
  });
});

describe('the built logger in a real process', () => {
  it('writes one JSON object per line to a pipe', async () => {
    const line = await logLine('pipe');
    expect(JSON.parse(line)).toMatchObject({
      level: 30,
      app: 'tidings',
      source: 'demo',
      added: 37,
      msg: 'refreshed',
    });
  });

  it('writes readable lines to a terminal', async () => {
    const line = await logLine('terminal');
    expect(line).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: refreshed \{"source":"demo","added":37\}$/);
  });

  it('writes JSON to a terminal with LOG_FORMAT=json, readable lines to a pipe with LOG_FORMAT=pretty', async () => {
    expect(JSON.parse(await logLine('terminal', 'json'))).toMatchObject({ msg: 'refreshed' });
    expect(await logLine('pipe', 'pretty')).toMatch(
      /^\[[\d:.]+\] INFO: refreshed \{"source":"demo","added":37\}$/,
    );
  });
});
