import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningEmulator, startEmulator } from '@sandbox-automation/arm-emulator';
import { parseReadyLine, readLocalSettings } from '@sandbox-automation/functions-host';
import { assertPortsFree, type PortClaim } from './assertPortsFree.js';

/** The host's command line, run from its TypeScript source through tsx. */
const hostCli = fileURLToPath(import.meta.resolve('@sandbox-automation/functions-host/cli'));

/** Azurite's well-known development account (public, documented, local only). */
const devAccount = {
  name: 'devstoreaccount1',
  key: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
};

export interface LocalPorts {
  host: number;
  arm: number;
  identity: number;
  blob: number;
  queue: number;
  table: number;
}

/** `.local/runtime.json`: where everything runs, for tools and people. */
export interface RuntimeInfo {
  host: { url: string; functionKey: string; masterKey: string };
  arm: { endpoint: string; subscriptionId: string; caCertPath: string };
  identity: { endpoint: string; header: string };
  storage: { connectionString: string; blobEndpoint: string; queueEndpoint: string };
}

export interface LocalStack {
  runtime: RuntimeInfo;
  stop(): Promise<void>;
  /** Resolves when a child exits on its own (a crash); the stack is then unusable. */
  crashed: Promise<string>;
}

export interface LocalStackOptions {
  /** The function app: its package.json `main`, host.json and optional local.settings.json. */
  root: string;
  /** Where Azurite data, the emulator state, keys and runtime.json go; default `<root>/.local`. */
  localDir?: string;
  env: Record<string, string | undefined>;
  /** Where children's output goes. */
  write(text: string): void;
  /** Host log format; text when the terminal is a TTY. */
  logFormat: 'text' | 'json';
  /**
   * The app's own defaults for local runs (for example a short poll interval). Like the stack's
   * settings, they give way to the environment and to `local.settings.json`.
   */
  settings?: Record<string, string>;
}

function portFrom(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new RangeError(`${name} must be a port number, not "${value}".`);
  return port;
}

/** What each port is for, and the variable that moves it, for a clear message when it is taken. */
export function portClaims(ports: LocalPorts): PortClaim[] {
  return [
    { service: 'Functions host', port: ports.host, setting: 'LOCAL_HOST_PORT' },
    { service: 'ARM emulator', port: ports.arm, setting: 'LOCAL_ARM_PORT' },
    { service: 'managed identity endpoint', port: ports.identity, setting: 'LOCAL_IDENTITY_PORT' },
    { service: 'Azurite blob', port: ports.blob, setting: 'AZURITE_BLOB_PORT' },
    { service: 'Azurite queue', port: ports.queue, setting: 'AZURITE_QUEUE_PORT' },
    { service: 'Azurite table', port: ports.table, setting: 'AZURITE_TABLE_PORT' },
  ];
}

/** The ports `npm start` uses, each movable by an environment variable (0 = any free port). */
export function localPorts(env: Record<string, string | undefined>): LocalPorts {
  return {
    host: portFrom(env, 'LOCAL_HOST_PORT', 7071),
    arm: portFrom(env, 'LOCAL_ARM_PORT', 8443),
    identity: portFrom(env, 'LOCAL_IDENTITY_PORT', 8444),
    blob: portFrom(env, 'AZURITE_BLOB_PORT', 10000),
    queue: portFrom(env, 'AZURITE_QUEUE_PORT', 10001),
    table: portFrom(env, 'AZURITE_TABLE_PORT', 10002),
  };
}

async function stableKeys(path: string): Promise<{ masterKey: string; functionKey: string }> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as { masterKey: string; functionKey: string };
  } catch {
    const keys = {
      masterKey: randomBytes(30).toString('base64url'),
      functionKey: randomBytes(30).toString('base64url'),
    };
    await writeFile(path, JSON.stringify(keys, null, 2), { mode: 0o600 });
    return keys;
  }
}

function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function waitForLine(
  child: ChildProcess,
  test: (line: string) => unknown,
  forward: (text: string) => void,
  name: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let partial = '';
    let found = false;
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      partial += text;
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!found && test(line)) {
          found = true;
          resolve(line);
        } else {
          forward(`${line}\n`);
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => forward(chunk.toString()));
    child.once('exit', (code) => {
      if (!found) reject(new Error(`${name} exited with code ${code} before it was ready.`));
    });
  });
}

/**
 * Starts Azurite, the ARM emulator and the Functions host running the app in `root`, with the
 * app's settings pointing at both, and writes `.local/runtime.json`. Settings come from the
 * environment first, then the app's `local.settings.json`, then `options.settings`, then the
 * stack's own (storage, identity, ARM endpoint and subscription, host keys).
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { root, env, write } = options;
  const ports = localPorts(env);
  await assertPortsFree(portClaims(ports));
  const localDir = options.localDir ?? join(root, '.local');
  await mkdir(join(localDir, 'azurite'), { recursive: true });
  await mkdir(join(localDir, 'arm'), { recursive: true });

  const azuriteMain = createRequire(import.meta.url).resolve('azurite/dist/src/azurite.js');
  const azurite = spawn(
    process.execPath,
    [
      azuriteMain,
      '--location',
      join(localDir, 'azurite'),
      '--blobPort',
      String(ports.blob),
      '--queuePort',
      String(ports.queue),
      '--tablePort',
      String(ports.table),
      '--skipApiVersionCheck',
      '--loose',
      '--silent',
      '--disableTelemetry',
    ],
    // Own process groups: Ctrl-C reaches only this process, which stops the host (so it can
    // drain and release messages) before Azurite.
    { cwd: localDir, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  const children: ChildProcess[] = [azurite];
  // Should this process die without stopping them, take the children along.
  process.once('exit', () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  });
  let arm: RunningEmulator | undefined;
  const stop = async () => {
    await Promise.all(children.reverse().map((child) => stopChild(child, 15_000)));
    await arm?.close();
  };

  try {
    const listening: Record<string, string> = {};
    const azuriteReady = waitForLine(
      azurite,
      (line) => {
        const match = /Azurite (Blob|Queue) service is successfully listening at (\S+)/.exec(line);
        if (match) listening[match[1]!] = match[2]!;
        return listening.Blob && listening.Queue;
      },
      () => {},
      'Azurite',
    );
    arm = await startEmulator({
      port: ports.arm,
      identityPort: ports.identity,
      certDir: join(localDir, 'certs'),
      stateFile: join(localDir, 'arm', 'state.json'),
      // Realistic but short: a 45 s VM create takes 4.5 s.
      timeScale: Number(env.LOCAL_ARM_TIME_SCALE ?? 0.1),
    });
    await azuriteReady;

    const blobEndpoint = `${listening.Blob}/${devAccount.name}`;
    const queueEndpoint = `${listening.Queue}/${devAccount.name}`;
    const connectionString = `DefaultEndpointsProtocol=http;AccountName=${devAccount.name};AccountKey=${devAccount.key};BlobEndpoint=${blobEndpoint};QueueEndpoint=${queueEndpoint};`;
    const keys = await stableKeys(join(localDir, 'host-keys.json'));
    const defaults: Record<string, string> = {
      AzureWebJobsStorage: connectionString,
      AZURE_SUBSCRIPTION_ID: arm.subscriptionId,
      ARM_ENDPOINT: arm.endpoint,
      IDENTITY_ENDPOINT: arm.identityEndpoint,
      IDENTITY_HEADER: arm.identityHeader,
      FUNCTIONS_MASTER_KEY: keys.masterKey,
      FUNCTIONS_FUNCTION_KEY: keys.functionKey,
      ...options.settings,
    };
    const fromFile = (await readLocalSettings(root)).values;
    const settings = Object.fromEntries(
      Object.entries(defaults).map(([name, value]) => [name, env[name] ?? fromFile[name] ?? value]),
    );

    const host = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        hostCli,
        '--cwd',
        root,
        '--port',
        String(ports.host),
        '--log-format',
        options.logFormat,
      ],
      {
        cwd: root,
        env: { ...env, ...settings, NODE_EXTRA_CA_CERTS: arm.caCertPath },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    children.push(host);
    const readyLine = await waitForLine(
      host,
      (line) => parseReadyLine(line) !== undefined,
      write,
      'The Functions host',
    );
    const ready = parseReadyLine(readyLine)!;

    const runtime: RuntimeInfo = {
      host: { url: ready.url, functionKey: keys.functionKey, masterKey: keys.masterKey },
      arm: {
        endpoint: arm.endpoint,
        subscriptionId: arm.subscriptionId,
        caCertPath: arm.caCertPath,
      },
      identity: { endpoint: arm.identityEndpoint, header: arm.identityHeader },
      storage: { connectionString: settings.AzureWebJobsStorage!, blobEndpoint, queueEndpoint },
    };
    await writeFile(join(localDir, 'runtime.json'), `${JSON.stringify(runtime, null, 2)}\n`, {
      mode: 0o600,
    });
    const crashed = new Promise<string>((resolve) => {
      azurite.once('exit', (code) => resolve(`Azurite exited (code ${code}).`));
      host.once('exit', (code) => resolve(`The Functions host exited (code ${code}).`));
    });
    return { runtime, stop, crashed };
  } catch (error) {
    await stop();
    throw error;
  }
}
