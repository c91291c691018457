/**
 * Anything a v4 app registers that this host does not run stops it at startup, naming the
 * function and the feature, instead of a function that silently never fires.
 */
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startHostProcess } from '../../src/testing/startHostProcess.js';

const nodeModules = dirname(
  dirname(dirname(createRequire(import.meta.url).resolve('@azure/functions/package.json'))),
);

/** A one-file app in a temporary directory. */
async function appWith(source: string) {
  const dir = await mkdtemp(join(tmpdir(), 'unsupported-app-'));
  await symlink(nodeModules, join(dir, 'node_modules'), 'dir');
  await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module', main: 'app.js' }));
  await writeFile(
    join(dir, 'app.js'),
    `import { app, input, output } from '@azure/functions';\n${source}`,
  );
  await writeFile(
    join(dir, 'local.settings.json'),
    JSON.stringify({ Values: { AzureWebJobsStorage: 'UseDevelopmentStorage=true' } }),
  );
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

describe('unsupported features', () => {
  it.each([
    [
      'a Service Bus trigger',
      `app.serviceBusQueue('orders', { queueName: 'q', connection: 'SB', handler: async () => {} });`,
      "Function 'Functions.orders' uses a 'serviceBusTrigger' trigger, which this local host does not support.",
    ],
    [
      'a Cosmos DB output binding',
      `app.http('save', { extraOutputs: [output.cosmosDB({ databaseName: 'd', containerName: 'c', connection: 'C' })], handler: async () => ({}) });`,
      "Function 'Functions.save' uses a 'cosmosDB' binding, which this local host does not support.",
    ],
    [
      'a blob trigger fed by Event Grid',
      `app.storageBlob('images', { path: 'images/{name}', source: 'EventGrid', connection: 'AzureWebJobsStorage', handler: async () => {} });`,
      "Function 'Functions.images' uses a blob trigger with source 'EventGrid' (Azurite publishes no Event Grid events",
    ],
  ])(
    'stops at startup for %s, naming the function and the feature',
    async (_name, source, message) => {
      // Prepare
      const app = await appWith(source);
      // Act
      const started = startHostProcess({ appDir: app.dir });
      // Assess
      await expect(started).rejects.toThrow(message);
      await app.remove();
    },
  );
});
