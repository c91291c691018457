import { cp, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
/** The node_modules that holds `@azure/functions` (hoisted to the repository's root by npm). */
const nodeModules = dirname(
  dirname(dirname(createRequire(import.meta.url).resolve('@azure/functions/package.json'))),
);

/**
 * Copies `test/fixtures/<fixture>` (default `host-app`) to a temporary directory with the
 * workspace's node_modules linked in and the given `local.settings.json` values, so each test run
 * has its own app directory.
 */
export async function prepareFixtureApp(
  values: Record<string, string>,
  fixture = 'host-app',
): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `${fixture}-`));
  await cp(join(fixtures, fixture), dir, { recursive: true });
  await symlink(nodeModules, join(dir, 'node_modules'), 'dir');
  await writeFile(
    join(dir, 'local.settings.json'),
    JSON.stringify({ IsEncrypted: false, Values: values }, null, 2),
  );
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Settings every fixture host gets. */
export function fixtureSettings(connectionString: string): Record<string, string> {
  return {
    AzureWebJobsStorage: connectionString,
    GREETING: 'Hello',
    FANOUT_QUEUE: 'fanout-out',
    YEARLY_SCHEDULE: '0 0 0 1 1 *',
    'AzureWebJobs.disabledByConfig.Disabled': 'true',
    AzureFunctionsWebHost__hostid: 'host-app-test',
  };
}

export function storageClients(connectionString: string) {
  return {
    queues: QueueServiceClient.fromConnectionString(connectionString),
    blobs: BlobServiceClient.fromConnectionString(connectionString),
  };
}

/** A queue message body as producers must send it under the default base64 encoding. */
export function base64Json(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64');
}
