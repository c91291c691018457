import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningAzurite {
  connectionString: string;
  blobEndpoint: string;
  queueEndpoint: string;
  tableEndpoint: string;
  stop(): Promise<void>;
}

export interface AzuriteOptions {
  /** Ports; 0 (the default) picks free ones. */
  blobPort?: number;
  queuePort?: number;
  tablePort?: number;
  /** Keep data on disk here; default is in memory. */
  location?: string;
  /** Print Azurite's output to this process's stderr. */
  verbose?: boolean;
  /**
   * Serve HTTPS with this certificate and key (PEM files), and with `oauth: 'basic'` also accept
   * bearer tokens, which Azurite checks for issuer, audience and lifetime but not signature.
   * Azurite takes OAuth over HTTPS only.
   */
  https?: { certPath: string; keyPath: string; oauth?: 'basic' };
}

/** Azurite's well-known development account. */
export const devAccountName = 'devstoreaccount1';
export const devAccountKey =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** The connection string for Azurite's development account on the given endpoints. */
export function azuriteConnectionString(
  blobEndpoint: string,
  queueEndpoint: string,
  tableEndpoint?: string,
): string {
  const protocol = blobEndpoint.startsWith('https:') ? 'https' : 'http';
  const table = tableEndpoint ? `TableEndpoint=${tableEndpoint};` : '';
  return `DefaultEndpointsProtocol=${protocol};AccountName=${devAccountName};AccountKey=${devAccountKey};BlobEndpoint=${blobEndpoint};QueueEndpoint=${queueEndpoint};${table}`;
}

const azuriteMain = createRequire(import.meta.url).resolve('azurite/dist/src/azurite.js');

/**
 * Starts Azurite (blob + queue, and table since the one binary serves all three) as a child
 * process, by default in memory on ephemeral ports, and resolves once it is listening.
 *
 * @example
 * const azurite = await startAzurite();
 * const queues = QueueServiceClient.fromConnectionString(azurite.connectionString);
 * await azurite.stop();
 */
export async function startAzurite(options: AzuriteOptions = {}): Promise<RunningAzurite> {
  const workspace = options.location ?? (await mkdtemp(join(tmpdir(), 'azurite-')));
  const args = [
    azuriteMain,
    '--blobPort',
    String(options.blobPort ?? 0),
    '--queuePort',
    String(options.queuePort ?? 0),
    '--tablePort',
    String(options.tablePort ?? 0),
    '--skipApiVersionCheck',
    '--loose',
    '--silent',
    '--disableTelemetry',
  ];
  args.push(...(options.location ? ['--location', workspace] : ['--inMemoryPersistence']));
  if (options.https) {
    args.push('--cert', options.https.certPath, '--key', options.https.keyPath);
    if (options.https.oauth) args.push('--oauth', options.https.oauth);
  }
  const child = spawn(process.execPath, args, {
    cwd: workspace,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const endpoints = await new Promise<{ blob: string; queue: string; table: string }>(
    (resolve, reject) => {
      let output = '';
      const found: { blob?: string; queue?: string; table?: string } = {};
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (options.verbose) process.stderr.write(chunk);
        for (const match of output.matchAll(
          /Azurite (Blob|Queue|Table) service is successfully listening at (\S+)/g,
        )) {
          found[match[1]!.toLowerCase() as 'blob' | 'queue' | 'table'] = match[2];
        }
        if (found.blob && found.queue && found.table) {
          child.stdout?.off('data', onData);
          resolve({ blob: found.blob, queue: found.queue, table: found.table });
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.once('exit', (code) =>
        reject(new Error(`Azurite exited with code ${code} before listening:\n${output}`)),
      );
      child.once('error', reject);
    },
  );
  child.removeAllListeners('exit');
  const blobEndpoint = `${endpoints.blob}/${devAccountName}`;
  const queueEndpoint = `${endpoints.queue}/${devAccountName}`;
  const tableEndpoint = `${endpoints.table}/${devAccountName}`;
  return {
    connectionString: azuriteConnectionString(blobEndpoint, queueEndpoint, tableEndpoint),
    blobEndpoint,
    queueEndpoint,
    tableEndpoint,
    async stop() {
      await stopChild(child);
      if (!options.location) await rm(workspace, { recursive: true, force: true });
    },
  };
}

/** Sends SIGTERM and waits for the exit; SIGKILL after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
