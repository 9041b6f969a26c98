import { loadConfig } from '../config/load.js';
import type { ServerConfig } from '../config/types.js';
import { ConfigError } from '../errors.js';
import { chooseLogFormat } from '../logger.js';

/** What `--check` prints: one line when the config is valid, every problem (one per line) when not. */
export type CheckResult = { ok: true; line: string } | { ok: false; problems: string };

/**
 * Validates the config the server would start with (`file`, else TIDINGS_CONFIG, else the bundled
 * default) and the environment it reads, as a start would, without opening the store or writing
 * anything.
 */
export function checkConfig(file: string | undefined, env: NodeJS.ProcessEnv): CheckResult {
  const problems: string[] = [];
  let config: ServerConfig | undefined;
  try {
    config = loadConfig({ ...(file !== undefined && { file }), env });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(error.message);
  }
  try {
    chooseLogFormat(env.LOG_FORMAT, false);
  } catch (error) {
    problems.push((error as Error).message);
  }
  if (!config || problems.length > 0) return { ok: false, problems: problems.join('\n') };
  return { ok: true, line: `${config.file}: OK, ${summary(config)}` };
}

/** `2 sources (1 off), 0 derived feeds` */
function summary(config: ServerConfig): string {
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  const off = config.sources.filter((source) => !source.enabled).length;
  return `${count(config.sources.length, 'source')}${off > 0 ? ` (${off} off)` : ''}, ${count(config.feeds?.length ?? 0, 'derived feed')}`;
}
