/**
 * The blob record store against Azurite, through the real `@azure/storage-blob` client: the
 * RecordStore contract, plus what only blobs have (the container, content types, paging).
 */
import { BlobServiceClient } from '@azure/storage-blob';
import { type RunningAzurite, startAzurite } from '@sandbox-automation/functions-host/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobRecordStore } from '../../../../shared/records/BlobRecordStore.js';
import { recordStoreContract } from '../../../support/fakes/recordStoreContract.js';

let azurite: RunningAzurite;
let containerCount = 0;

beforeAll(async () => {
  azurite = await startAzurite();
});

afterAll(async () => {
  await azurite?.stop();
});

/** A store on a container of its own, so tests do not see each other's records. */
async function freshStore() {
  containerCount += 1;
  const containerName = `records-${containerCount}-${process.pid}`;
  const store = await BlobRecordStore.fromStorage(
    { kind: 'connectionString', connectionString: azurite.connectionString },
    containerName,
  );
  const container = BlobServiceClient.fromConnectionString(
    azurite.connectionString,
  ).getContainerClient(containerName);
  return { store, container };
}

recordStoreContract('BlobRecordStore', async () => (await freshStore()).store);

describe('BlobRecordStore', () => {
  it('creates its container on first use', async () => {
    // Prepare
    const { store, container } = await freshStore();
    const before = await container.exists();

    // Act
    await store.get('anything.json');

    // Assess
    expect(before).toBe(false);
    expect(await container.exists()).toBe(true);
  });

  it('keeps one JSON blob per key, with its content type', async () => {
    // Prepare
    const { store, container } = await freshStore();

    // Act
    const created = await store.create('operations/op-1.json', { status: 'queued' });
    await store.putText('cleanup/runs/r1/summary.md', '# r1', 'text/markdown; charset=utf-8');

    // Assess
    const json = await container.getBlobClient('operations/op-1.json').getProperties();
    const md = await container.getBlobClient('cleanup/runs/r1/summary.md').getProperties();
    expect(json.contentType).toBe('application/json');
    expect(json.etag).toBe(created.etag);
    expect(md.contentType).toBe('text/markdown; charset=utf-8');
  });

  it('lists across pages', async () => {
    // Prepare
    const { store } = await freshStore();
    const keys = Array.from(
      { length: 1205 },
      (_, i) => `cleanup/runs/r1/items/${String(i).padStart(5, '0')}.json`,
    );
    for (let i = 0; i < keys.length; i += 100) {
      await Promise.all(keys.slice(i, i + 100).map((k) => store.put(k, { k })));
    }
    await store.put('cleanup/runs/r2/plan.json', {});

    // Act
    const listed: string[] = [];
    for await (const key of store.list('cleanup/runs/r1/')) listed.push(key);

    // Assess
    expect(listed).toEqual(keys);
  });
});
