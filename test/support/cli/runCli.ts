/**
 * The CLI as a person runs it: `cli/sandbox.mjs` in a child process, against a test stack, with
 * its own config folder (its sign-in) and the stack's details in a runtime.json as `npm start`
 * writes them. Nothing of the test process's environment leaks in.
 */
import { spawn } from 'node:child_process';
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
  /**
   * Runs `sandbox …args`, optionally with `env` added; `onStderr` sees stderr as it comes (what a
   * person reads while the command waits for them).
   */
  run(
    args: string[],
    env?: Record<string, string>,
    onStderr?: (soFar: string) => void,
  ): Promise<CliRun>;
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
    run: (args, env = {}, onStderr) =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [BIN, ...args], {
          cwd: home,
          env: { ...baseEnv, ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString('utf8');
        });
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString('utf8');
          onStderr?.(stderr);
        });
        child.on('error', reject);
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          resolve({ code: code ?? (signal ? -1 : 0), stdout, stderr });
        });
      }),
  };
}

/**
 * What a person does in a browser for a device code sign-in: opens the verification page, enters
 * the code, then signs in with a test user's name and password (the pages are plain forms).
 *
 * @example
 * await completeDeviceSignIn(stack, verificationUri, userCode, 'bob@contoso.com');
 */
export async function completeDeviceSignIn(
  stack: Stack,
  verificationUri: string,
  userCode: string,
  username: string,
): Promise<void> {
  const user = (await stack.arm.control.entra()).users.find((u) => u.username === username);
  if (!user) throw new Error(`No test user ${username}.`);
  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  const codePage = await fetch(verificationUri, form({ otc: userCode }));
  const html = await codePage.text();
  if (!codePage.ok) throw new Error(`The code page answered ${codePage.status}: ${html}`);
  const action = /action="([^"]+)"/.exec(html)?.[1];
  const ctx = /name="ctx" value="([^"]+)"/.exec(html)?.[1];
  if (!action || !ctx) throw new Error(`No sign-in form after the code: ${html}`);
  const signedIn = await fetch(
    new URL(action, verificationUri),
    form({ ctx, login: user.username, passwd: user.password }),
  );
  if (!signedIn.ok) throw new Error(`The sign-in answered ${signedIn.status}.`);
}
