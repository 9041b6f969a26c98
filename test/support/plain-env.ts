/**
 * This process's environment without what pnpm and Vitest add (npm_config_local_prefix would point
 * npm at the workspace, NODE_OPTIONS could carry `--conditions=source`): a command run outside the
 * workspace sees a plain shell.
 */
export function plainEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|PNPM_|VITEST|NODE_OPTIONS$|INIT_CWD$|NODE_ENV$)/i.test(key)) continue;
    env[key] = value;
  }
  return env;
}
