/**
 * The CLI as a person runs it: `cli/sandbox.mjs` in a child process, against a test stack, with
 * its own config folder (its sign-in) and the stack's details in a runtime.json as `npm start`
 * writes them. Nothing of the test process's environment leaks in.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Stack } from '../stack.js';

const BIN = join(import.meta.dirname, '..', '..', '..', 'cli', 'sandbox.mjs');

/** How a run of the CLI ended. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A person at a terminal: their own config folder and the stack's runtime.json. */
export interface CliUser {
  /** Runs `sandbox …args`, optionally with `env` added. */
  run(args: string[], env?: Record<string, string>): Promise<CliRun>;
  configDir: string;
}

/**
 * Writes the stack's runtime.json (the part `npm start` writes that the CLI reads) into a new
 * temporary folder, and answers its path.
 *
 * @example
 * const runtimePath = await writeRuntime(stack);
 */
export async function writeRuntime(stack: Stack): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sandbox-cli-runtime-'));
  const entra = await stack.arm.control.entra();
  const path = join(dir, 'runtime.json');
  await writeFile(
    path,
    JSON.stringify({
      host: { url: stack.hostUrl },
      arm: { endpoint: stack.arm.endpoint, caCertPath: stack.arm.caCertPath },
      entra: {
        authority: entra.authority,
        tenantId: entra.tenantId,
        clientId: entra.clientId,
        users: entra.users.map((u) => ({ username: u.username, password: u.password })),
      },
    }),
    { mode: 0o600 },
  );
  return path;
}

/**
 * A person with a terminal of their own (their own sign-in), for the stack whose runtime.json is
 * at `runtimePath`.
 *
 * @example
 * const ana = await cliUser(runtimePath);
 * const { code, stdout } = await ana.run(['login', '--user', 'ana@contoso.com']);
 */
export async function cliUser(runtimePath: string): Promise<CliUser> {
  const home = await mkdtemp(join(tmpdir(), 'sandbox-cli-home-'));
  const configDir = join(home, '.config', 'sandbox');
  const baseEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    SANDBOX_RUNTIME: runtimePath,
    // Instants as the assertions write them.
    TZ: 'UTC',
    LANG: 'en_GB.UTF-8',
  };
  return {
    configDir,
    run: (args, env = {}) =>
      new Promise((resolve) => {
        execFile(
          process.execPath,
          [BIN, ...args],
          { cwd: home, env: { ...baseEnv, ...env }, timeout: 90_000 },
          (error, stdout, stderr) => {
            const code =
              error && typeof (error as { code?: unknown }).code === 'number'
                ? (error as { code: number }).code
                : error
                  ? -1
                  : 0;
            resolve({ code, stdout, stderr });
          },
        );
      }),
  };
}
