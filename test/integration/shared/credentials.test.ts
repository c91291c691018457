/**
 * The production way to reach storage: by identity, with no connection string. Azurite serves
 * HTTPS with bearer-token auth (`--oauth basic`), the ARM emulator plays the managed identity,
 * and `BlobRecordStore.fromConfig` / `StorageWorkQueue.fromConfig` take only the service URIs
 * from the config, exactly as on Azure.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppConfig, loadConfig } from '../../../shared/config.js';
import { createCredential } from '../../../shared/credentials.js';
import { decodeMessage, StorageWorkQueue } from '../../../shared/queues/StorageWorkQueue.js';
import { BlobRecordStore } from '../../../shared/records/BlobRecordStore.js';
import { stopChild } from '../../support/azurite.js';
import { startTestEmulator, type TestEmulator } from '../../support/emulator.js';

const root = join(import.meta.dirname, '..', '..', '..');
let arm: TestEmulator;
let azurite: ChildProcess;
let workspace: string;
let config: AppConfig;

/** Azurite over HTTPS (the emulator's certificate, which the tests trust) with OAuth on. */
async function startOAuthAzurite(): Promise<{ child: ChildProcess; blob: string; queue: string }> {
  const main = createRequire(import.meta.url).resolve('azurite/dist/src/azurite.js');
  const certs = join(root, '.local', 'certs');
  workspace = await mkdtemp(join(tmpdir(), 'azurite-oauth-'));
  const child = spawn(
    process.execPath,
    [
      main,
      ...['--blobPort', '0', '--queuePort', '0', '--tablePort', '0'],
      ...['--cert', join(certs, 'server.pem'), '--key', join(certs, 'server-key.pem')],
      ...['--oauth', 'basic', '--inMemoryPersistence', '--skipApiVersionCheck', '--loose'],
      '--disableTelemetry',
    ],
    { cwd: workspace, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const found: Record<string, string> = {};
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      for (const m of output.matchAll(
        /Azurite (Blob|Queue) service is successfully listening at (\S+)/g,
      )) {
        found[m[1] ?? ''] = m[2] ?? '';
      }
      if (found.Blob && found.Queue) resolve();
    });
    child.once('exit', (code) => reject(new Error(`Azurite exited with ${code}: ${output}`)));
  });
  return {
    child,
    blob: `${found.Blob}/devstoreaccount1`,
    queue: `${found.Queue}/devstoreaccount1`,
  };
}

beforeAll(async () => {
  arm = await startTestEmulator();
  process.env.IDENTITY_ENDPOINT = arm.identityEndpoint;
  process.env.IDENTITY_HEADER = arm.identityHeader;
  const started = await startOAuthAzurite();
  azurite = started.child;
  config = loadConfig({
    AZURE_SUBSCRIPTION_ID: arm.subscriptionId,
    AzureWebJobsStorage__blobServiceUri: started.blob,
    AzureWebJobsStorage__queueServiceUri: started.queue,
    RECORDS_CONTAINER: 'identity-records',
  });
});

afterAll(async () => {
  if (azurite) await stopChild(azurite);
  if (workspace) await rm(workspace, { recursive: true, force: true });
  await arm?.close();
});

describe('storage by managed identity', () => {
  it('keeps records with a token from the managed identity', async () => {
    // Prepare
    expect(config.storage.kind).toBe('identity');
    const records = await BlobRecordStore.fromConfig(config);

    // Act
    const created = await records.create('operations/op-1.json', { status: 'queued' });
    const read = await records.get('operations/op-1.json');

    // Assess
    expect(read).toEqual({ value: { status: 'queued' }, etag: created.etag });
  });

  it('sends queue messages with a token from the managed identity', async () => {
    // Prepare
    const queue = await StorageWorkQueue.fromConfig<{ n: number }>(config, 'identity-work');

    // Act
    await queue.sendMany([{ n: 1 }, { n: 2 }]);

    // Assess
    if (config.storage.kind !== 'identity') throw new Error('expected identity storage');
    const reader = new QueueClient(
      `${config.storage.queueServiceUri}/identity-work`,
      await createCredential(config),
    );
    const received = await reader.receiveMessages({ numberOfMessages: 10 });
    expect(
      received.receivedMessageItems
        .map((m) => decodeMessage<{ n: number }>(m.messageText).n)
        .sort(),
    ).toEqual([1, 2]);
  });

  it('is refused without a token (the test is not passing by accident)', async () => {
    // Prepare
    if (config.storage.kind !== 'identity') throw new Error('expected identity storage');
    const anonymous = new QueueClient(`${config.storage.queueServiceUri}/identity-work`);

    // Act
    const error = await anonymous.peekMessages().catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ statusCode: expect.any(Number) });
    expect((error as { statusCode: number }).statusCode).toBeGreaterThanOrEqual(400);
  });
});
