/**
 * The production way to reach storage: by identity, with no connection string. Azurite serves
 * HTTPS with bearer-token auth (`--oauth basic`), the ARM emulator plays the managed identity,
 * and `BlobRecordStore.fromConfig` / `StorageWorkQueue.fromConfig` take only the service URIs
 * from the config, exactly as on Azure.
 */
import { join } from 'node:path';
import { QueueClient } from '@azure/storage-queue';
import {
  startTestEmulator,
  type TestEmulator,
  testCertDir,
} from '@sandbox-automation/arm-emulator/testing';
import { type RunningAzurite, startAzurite } from '@sandbox-automation/functions-host/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppConfig, loadConfig } from '../../../shared/config.js';
import { createCredential } from '../../../shared/credentials.js';
import { decodeMessage, StorageWorkQueue } from '../../../shared/queues/StorageWorkQueue.js';
import { BlobRecordStore } from '../../../shared/records/BlobRecordStore.js';
import { testAuthSettings } from '../../support/auth/testTokens.js';

let arm: TestEmulator;
let azurite: RunningAzurite | undefined;
let config: AppConfig;

beforeAll(async () => {
  arm = await startTestEmulator();
  process.env.IDENTITY_ENDPOINT = arm.identityEndpoint;
  process.env.IDENTITY_HEADER = arm.identityHeader;
  // Azurite over HTTPS (the emulator's certificate, which the tests trust) with OAuth on.
  const certs = testCertDir();
  azurite = await startAzurite({
    https: {
      certPath: join(certs, 'server.pem'),
      keyPath: join(certs, 'server-key.pem'),
      oauth: 'basic',
    },
  });
  config = loadConfig({
    ...testAuthSettings,
    AZURE_SUBSCRIPTION_ID: arm.subscriptionId,
    AzureWebJobsStorage__blobServiceUri: azurite.blobEndpoint,
    AzureWebJobsStorage__queueServiceUri: azurite.queueEndpoint,
    AzureWebJobsStorage__tableServiceUri: azurite.tableEndpoint,
    RECORDS_CONTAINER: 'identity-records',
  });
});

afterAll(async () => {
  await azurite?.stop();
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
