/**
 * The local stack `npm start` runs (Azurite, the ARM emulator with ARM's default throttling, the
 * Functions host with the built app and npm start's settings), started for one benchmark in a
 * folder of its own, on free ports, and stopped after it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack } from '@sandbox-automation/local-stack';
import { localAppRoleAssignments, localAppSettings } from '../scripts/localSettings.mjs';
import { LocalStackClient } from './localStackClient.js';

const root = join(import.meta.dirname, '..');

/** A schedule that never fires during a benchmark: midnight on the 1st of January. */
const NEVER = '0 0 0 1 1 *';

export interface BenchStack {
  client: LocalStackClient;
  /** Everything the stack's processes wrote, line by line. */
  lines(): string[];
  stop(): Promise<void>;
}

/**
 * @example
 * const stack = await startBenchStack({ CLEANUP_MAX_DELETES: '100000' });
 * try { … } finally { await stack.stop(); }
 */
export async function startBenchStack(settings: Record<string, string> = {}): Promise<BenchStack> {
  const localDir = await mkdtemp(join(tmpdir(), 'sandbox-bench-'));
  const output: string[] = [];
  let partial = '';
  const ports = Object.fromEntries(
    [
      'LOCAL_HOST_PORT',
      'LOCAL_ARM_PORT',
      'LOCAL_IDENTITY_PORT',
      'LOCAL_ENTRA_PORT',
      'AZURITE_BLOB_PORT',
      'AZURITE_QUEUE_PORT',
      'AZURITE_TABLE_PORT',
    ].map((name) => [name, '0']),
  );
  const stack = await startLocalStack({
    root,
    localDir,
    env: { ...process.env, ...ports, CLEANUP_SCHEDULE: NEVER, ...settings },
    write: (text) => {
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      output.push(...lines);
    },
    logFormat: 'json',
    settings: localAppSettings,
    appRoleAssignments: localAppRoleAssignments,
  });
  const client = new LocalStackClient(stack.runtime);
  return {
    client,
    lines: () => output,
    async stop() {
      client.close();
      await stack.stop();
      await rm(localDir, { recursive: true, force: true });
    },
  };
}
