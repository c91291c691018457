import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { type HostReadyInfo, parseReadyLine } from '../readyLine.js';

/** This workspace's folder: the bundle goes under its `.local`, where its packages resolve. */
const workspace = join(import.meta.dirname, '..', '..');

let bundle: Promise<string> | undefined;

/**
 * The host CLI bundled once per test process: starting it with plain node is about a second
 * faster than through tsx, and tests start many hosts. It lives under the workspace's `.local`
 * so that its packages resolve from the workspace's (or the repository's) node_modules.
 */
function hostBundle(): Promise<string> {
  bundle ??= (async () => {
    const outfile = join(workspace, '.local', 'host-bundle', `cli-${process.pid}.mjs`);
    await build({
      entryPoints: [join(workspace, 'src', 'cli.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'warning',
    });
    process.once('exit', () => rmSync(outfile, { force: true }));
    return outfile;
  })();
  return bundle;
}

export interface HostProcessOptions {
  /** The function app directory. */
  appDir: string;
  /** App settings, passed as environment variables (over this process's environment). */
  settings?: Record<string, string>;
  /** HTTP port; default 0 (ephemeral). */
  port?: number;
  /** Bound on draining at shutdown, in ms. */
  drainTimeoutMs?: number;
  /** Queue message lease, in ms (renewed at half-life). */
  queueLeaseMs?: number;
  /** Echo host output to this process's stdout. */
  verbose?: boolean;
}

export interface HostProcess extends Omit<HostReadyInfo, 'masterKey' | 'functionKey'> {
  /** The key from the settings, or the one the host generated and printed. */
  masterKey: string;
  functionKey: string;
  pid: number;
  /** Everything the host wrote to stdout and stderr so far. */
  logs(): string;
  /** The host's JSON log entries so far (it writes JSON lines when not on a TTY). */
  entries(): Record<string, unknown>[];
  /** Resolves with the first log line (present or future) matching `pattern`. */
  waitForLog(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  /** Sends the signal and waits for the exit; resolves with the exit code (null when killed). */
  stop(signal?: 'SIGTERM' | 'SIGINT' | 'SIGKILL'): Promise<number | null>;
  exited: Promise<number | null>;
}

/**
 * Runs the host CLI (`src/cli.ts`) as a child process (so a test can kill -9 it) and resolves once it
 * prints its ready line.
 *
 * @example
 * const host = await startHostProcess({ appDir: 'test/fixtures/host-app', settings });
 * await fetch(`${host.url}/api/hello`);
 * await host.stop();
 */
export async function startHostProcess(options: HostProcessOptions): Promise<HostProcess> {
  const args = [
    await hostBundle(),
    '--cwd',
    options.appDir,
    '--port',
    String(options.port ?? 0),
    '--log-format',
    'json',
  ];
  if (options.drainTimeoutMs !== undefined)
    args.push('--drain-timeout', String(options.drainTimeoutMs));
  if (options.queueLeaseMs !== undefined) args.push('--queue-lease', String(options.queueLeaseMs));
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: workspace,
    env: { ...process.env, ...options.settings },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const lines: string[] = [];
  const waiters = new Set<{ test: (line: string) => boolean; resolve: (line: string) => void }>();
  let partial = '';
  const onChunk = (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    if (options.verbose) process.stdout.write(text);
    partial += text;
    const complete = partial.split('\n');
    partial = complete.pop() ?? '';
    for (const line of complete) {
      lines.push(line);
      for (const waiter of waiters) if (waiter.test(line)) waiter.resolve(line);
    }
  };
  child.stdout?.on('data', onChunk);
  child.stderr?.on('data', onChunk);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );

  const waitForLog = (pattern: RegExp | string, timeoutMs = 15_000) => {
    const test = (line: string) =>
      typeof pattern === 'string' ? line.includes(pattern) : pattern.test(line);
    const existing = lines.find(test);
    if (existing !== undefined) return Promise.resolve(existing);
    return new Promise<string>((resolve, reject) => {
      const waiter = {
        test,
        resolve: (line: string) => {
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(line);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(
          new Error(`No host log matched ${pattern} within ${timeoutMs}ms. Output:\n${output}`),
        );
      }, timeoutMs);
      waiters.add(waiter);
    });
  };

  const ready = await Promise.race([
    waitForLog('Host ready', 30_000).then((line) => parseReadyLine(line)!),
    exited.then((code) => {
      throw new Error(`The host exited with code ${code} before it was ready. Output:\n${output}`);
    }),
  ]);

  const masterKey = ready.masterKey ?? options.settings?.FUNCTIONS_MASTER_KEY;
  const functionKey = ready.functionKey ?? options.settings?.FUNCTIONS_FUNCTION_KEY;
  if (!masterKey || !functionKey) throw new Error(`The host printed no keys. Output:\n${output}`);
  return {
    ...ready,
    masterKey,
    functionKey,
    pid: child.pid!,
    logs: () => output,
    entries: () =>
      lines.flatMap((line) => {
        if (!line.startsWith('{')) return [];
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      }),
    waitForLog,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    exited,
  };
}
