/**
 * Storage's own operation shapes, through `@azure/arm-storage` and raw HTTPS. Reference: the
 * recorded traffic of `@azure/arm-storage`'s tests in Azure/azure-sdk-assets,
 * js/sdk/storage/arm-storage/recordings/node/storage_test/recording_storageaccounts_create_test.json
 * (PUT 202, empty body, `Location: …/locations/{l}/asyncoperations/{id}?monitor=true…`,
 * `Retry-After: 17`; the last poll answers 200 with `primaryEndpoints`, `creationTime`, `sku.tier`),
 * recording_storageaccounts_delete_test.json (DELETE 200, no body) and
 * recording_blobcontainers_create_test.json (PUT 201, an `ETag`, no `provisioningState`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../../src/testing/startTestEmulator.js';
import { armClients, armToken, POLL, rawRequest } from './armClients.js';

const V = '2025-06-01';

describe('storage accounts through @azure/arm-storage', () => {
  let arm: TestEmulator;
  let clients: ReturnType<typeof armClients>;
  let token: string;
  let group: string;

  beforeAll(async () => {
    arm = await startTestEmulator();
    clients = armClients(arm);
    token = await armToken(clients.credential);
    group = `/subscriptions/${arm.subscriptionId}/resourceGroups/rg-st`;
    await clients.resources.resourceGroups.createOrUpdate('rg-st', { location: 'westeurope' });
  });
  afterAll(() => arm.close());

  const definition = {
    location: 'westeurope',
    kind: 'StorageV2',
    sku: { name: 'Standard_GRS' },
    tags: { key1: 'value1' },
  };

  it('answers a create 202 with an empty body and a Location to poll, as the recording shows', async () => {
    // Act
    const accepted = await rawRequest(
      arm,
      'PUT',
      `${group}/providers/Microsoft.Storage/storageAccounts/straw?api-version=${V}`,
      { token, body: JSON.stringify(definition) },
    );
    // Assess
    expect(accepted.status).toBe(202);
    expect(accepted.text).toBe('');
    expect(accepted.headers['azure-asyncoperation']).toBeUndefined();
    expect(String(accepted.headers.location)).toMatch(
      new RegExp(
        `^${arm.endpoint}/subscriptions/${arm.subscriptionId}/providers/Microsoft\\.Storage/locations/westeurope/asyncoperations/[0-9a-f-]{36}\\?monitor=true&api-version=${V}$`,
      ),
    );
    expect(Number(accepted.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('creates through the SDK poller and the final state carries the server-computed fields', async () => {
    // Act
    const account = await clients.storage.storageAccounts.beginCreateAndWait(
      'rg-st',
      'stcomputed',
      definition,
      POLL,
    );
    const read = await clients.storage.storageAccounts.getProperties('rg-st', 'stcomputed');
    // Assess
    for (const result of [account, read]) {
      expect(result).toMatchObject({
        name: 'stcomputed',
        kind: 'StorageV2',
        sku: { name: 'Standard_GRS', tier: 'Standard' },
        provisioningState: 'Succeeded',
        primaryLocation: 'westeurope',
        statusOfPrimary: 'available',
        accessTier: 'Hot',
        primaryEndpoints: {
          blob: 'https://stcomputed.blob.core.windows.net/',
          queue: 'https://stcomputed.queue.core.windows.net/',
          table: 'https://stcomputed.table.core.windows.net/',
          file: 'https://stcomputed.file.core.windows.net/',
          dfs: 'https://stcomputed.dfs.core.windows.net/',
        },
      });
      expect(result.creationTime).toBeInstanceOf(Date);
    }
  });

  it('answers a PUT on a settled account 200 at once, with the account', async () => {
    // Act
    const updated = await rawRequest(
      arm,
      'PUT',
      `${group}/providers/Microsoft.Storage/storageAccounts/stcomputed?api-version=${V}`,
      { token, body: JSON.stringify({ ...definition, tags: { key1: 'value2' } }) },
    );
    // Assess
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      name: 'stcomputed',
      tags: { key1: 'value2' },
      properties: {
        provisioningState: 'Succeeded',
        primaryEndpoints: { blob: 'https://stcomputed.blob.core.windows.net/' },
      },
    });
  });

  it('has blobServices/default as soon as the account exists, and a container PUT under it is synchronous', async () => {
    // Act
    const service = await clients.storage.blobServices.getServiceProperties('rg-st', 'stcomputed');
    const raw = await rawRequest(
      arm,
      'PUT',
      `${group}/providers/Microsoft.Storage/storageAccounts/stcomputed/blobServices/default/containers/data?api-version=${V}`,
      { token, body: '{}' },
    );
    const container = await clients.storage.blobContainers.get('rg-st', 'stcomputed', 'data');
    // Assess
    expect(service).toMatchObject({
      name: 'default',
      type: 'Microsoft.Storage/storageAccounts/blobServices',
    });
    expect(raw.status).toBe(201);
    expect(raw.headers.etag).toMatch(/^"0x[0-9A-F]+"$/);
    expect(raw.headers['azure-asyncoperation']).toBeUndefined();
    expect(raw.headers.location).toBeUndefined();
    expect((raw.body as { properties?: object }).properties).not.toHaveProperty(
      'provisioningState',
    );
    expect(container).toMatchObject({
      name: 'data',
      publicAccess: 'None',
      leaseState: 'Available',
    });
  });

  it('creates a container through the SDK with 201 and no provisioningState', async () => {
    // Act
    const created = await clients.storage.blobContainers.create('rg-st', 'stcomputed', 'logs', {
      publicAccess: 'None',
    });
    // Assess
    expect(created).toMatchObject({
      name: 'logs',
      type: 'Microsoft.Storage/storageAccounts/blobServices/containers',
      publicAccess: 'None',
    });
    expect(created).not.toHaveProperty('provisioningState');
  });

  it('deletes synchronously with 200 and no body, children included', async () => {
    // Act
    const deleted = await rawRequest(
      arm,
      'DELETE',
      `${group}/providers/Microsoft.Storage/storageAccounts/stcomputed?api-version=${V}`,
      { token },
    );
    const after = await rawRequest(
      arm,
      'GET',
      `${group}/providers/Microsoft.Storage/storageAccounts/stcomputed/blobServices/default/containers/data?api-version=${V}`,
      { token },
    );
    const again = await rawRequest(
      arm,
      'DELETE',
      `${group}/providers/Microsoft.Storage/storageAccounts/stcomputed?api-version=${V}`,
      { token },
    );
    // Assess
    expect(deleted.status).toBe(200);
    expect(deleted.text).toBe('');
    expect(deleted.headers.location).toBeUndefined();
    expect(after.status).toBe(404);
    expect(again.status).toBe(204);
  });

  it('deletes through the SDK client', async () => {
    // Prepare
    await clients.storage.storageAccounts.beginCreateAndWait('rg-st', 'stgone', definition, POLL);
    // Act
    await clients.storage.storageAccounts.delete('rg-st', 'stgone');
    // Assess
    const names = [];
    for await (const account of clients.storage.storageAccounts.listByResourceGroup('rg-st')) {
      names.push(account.name);
    }
    expect(names).toEqual(['straw']);
  });
});
