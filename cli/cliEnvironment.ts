import { homedir } from 'node:os';
import { join } from 'node:path';

/** What the CLI takes from its environment, read once at start. */
export interface CliEnvironment {
  /** `SANDBOX_ENDPOINT`: the API's base URL, unless `--endpoint` says otherwise. */
  endpoint?: string;
  /** `SANDBOX_TOKEN`: an access token for the API, used as it is (pipelines that sign in themselves). */
  token?: string;
  /** Where the sign-in is kept: `SANDBOX_CONFIG_DIR`, else `$XDG_CONFIG_HOME/sandbox`, else `~/.config/sandbox`. */
  configDir: string;
  /** `SANDBOX_RUNTIME`: the local stack's `runtime.json`, unless found under `.local/`. */
  runtimePath?: string;
  cwd: string;
}

/**
 * Reads the CLI's settings from the environment.
 *
 * @example
 * readCliEnvironment({ SANDBOX_CONFIG_DIR: '/tmp/s' }, '/home/ana', '/work').configDir; // '/tmp/s'
 */
export function readCliEnvironment(
  env: Record<string, string | undefined> = process.env,
  home: string = homedir(),
  cwd: string = process.cwd(),
): CliEnvironment {
  const set = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);
  const endpoint = set(env.SANDBOX_ENDPOINT);
  const token = set(env.SANDBOX_TOKEN);
  const runtimePath = set(env.SANDBOX_RUNTIME);
  return {
    ...(endpoint ? { endpoint } : {}),
    ...(token ? { token } : {}),
    configDir:
      set(env.SANDBOX_CONFIG_DIR) ??
      join(set(env.XDG_CONFIG_HOME) ?? join(home, '.config'), 'sandbox'),
    ...(runtimePath ? { runtimePath } : {}),
    cwd,
  };
}
