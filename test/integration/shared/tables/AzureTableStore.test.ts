/**
 * The Azure Table store against Azurite, through the real `@azure/data-tables` client: the
 * TableStore contract, plus what only the real table has (creating the table, the entity layout).
 */
import { TableClient } from '@azure/data-tables';
import { type RunningAzurite, startAzurite } from '@sandbox-automation/functions-host/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AzureTableStore } from '../../../../shared/tables/AzureTableStore.js';
import { tableStoreContract } from '../../../support/fakes/tableStoreContract.js';

let azurite: RunningAzurite;
let tableCount = 0;

beforeAll(async () => {
  azurite = await startAzurite();
});

afterAll(async () => {
  await azurite?.stop();
});

/** A store on a table of its own, so tests do not see each other's rows. */
async function freshStore() {
  tableCount += 1;
  const table = `items${tableCount}p${process.pid}`;
  const store = await AzureTableStore.fromStorage(
    { kind: 'connectionString', connectionString: azurite.connectionString },
    table,
  );
  const client = TableClient.fromConnectionString(azurite.connectionString, table, {
    allowInsecureConnection: true,
  });
  return { store, client };
}

tableStoreContract('AzureTableStore', async () => (await freshStore()).store);

describe('AzureTableStore', () => {
  it('creates its table on first use', async () => {
    // Prepare
    const { store, client } = await freshStore();

    // Act
    await store.get('p', 'r');

    // Assess
    const listed = [];
    for await (const entity of client.listEntities()) listed.push(entity);
    expect(listed).toEqual([]);
  });

  it('keeps a record as JSON in properties of at most 30,000 characters', async () => {
    // Prepare
    const { store, client } = await freshStore();
    const value = { text: 'y'.repeat(45_000) };

    // Act
    await store.transact('run-1', [{ kind: 'create', rowKey: 'item|s|g', value }]);

    // Assess
    const entity = await client.getEntity<Record<string, string>>('run-1', 'item|s|g');
    expect(entity.j0).toHaveLength(30_000);
    expect(JSON.parse(`${entity.j0}${entity.j1}`)).toEqual(value);
  });
});
