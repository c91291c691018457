import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../../src/testing/startTestEmulator.js';
import { armClients, errorOf, POLL } from './armClients.js';

describe('management locks through @azure/arm-locks', () => {
  let arm: TestEmulator;
  let clients: ReturnType<typeof armClients>;
  const V = '2024-01-01';
  let account: string;

  beforeAll(async () => {
    arm = await startTestEmulator();
    clients = armClients(arm);
    account = `/subscriptions/${arm.subscriptionId}/resourceGroups/rg-lock/providers/Microsoft.Storage/storageAccounts/lockeddata`;
  });
  afterAll(() => arm.close());

  it('a CanNotDelete lock on the group blocks its delete with 409 ScopeLocked and ARM’s message', async () => {
    // Prepare
    await clients.resources.resourceGroups.createOrUpdate('rg-lock', { location: 'westeurope' });
    const lock = await clients.locks.managementLocks.createOrUpdateAtResourceGroupLevel(
      'rg-lock',
      'keep',
      {
        level: 'CanNotDelete',
        notes: 'do not delete',
      },
    );
    // Act
    const error = await errorOf(
      clients.resources.resourceGroups.beginDeleteAndWait('rg-lock', POLL),
    );
    // Assess
    expect(lock).toMatchObject({
      id: `/subscriptions/${arm.subscriptionId}/resourceGroups/rg-lock/providers/Microsoft.Authorization/locks/keep`,
      name: 'keep',
      type: 'Microsoft.Authorization/locks',
      level: 'CanNotDelete',
      notes: 'do not delete',
    });
    expect(error).toMatchObject({ statusCode: 409, code: 'ScopeLocked' });
    expect(error.message).toBe(
      `The scope '/subscriptions/${arm.subscriptionId}/resourcegroups/rg-lock' cannot perform delete operation because following scope(s) are locked: '/subscriptions/${arm.subscriptionId}/resourceGroups/rg-lock'. Please remove the lock and try again.`,
    );
    expect((await clients.resources.resourceGroups.checkExistence('rg-lock')).body).toBe(true);
    // A CanNotDelete lock still allows writes.
    await clients.resources.resourceGroups.update('rg-lock', { tags: { a: 'b' } });
  });

  it('lists, at group level, the locks on the group and on its resources', async () => {
    // Prepare
    await clients.resources.resources.beginCreateOrUpdateByIdAndWait(
      account,
      V,
      { location: 'westeurope' },
      POLL,
    );
    await clients.locks.managementLocks.createOrUpdateAtResourceLevel(
      'rg-lock',
      'Microsoft.Storage',
      '',
      'storageAccounts',
      'lockeddata',
      'ro',
      { level: 'ReadOnly' },
    );
    // Act
    const names = [];
    for await (const lock of clients.locks.managementLocks.listAtResourceGroupLevel('rg-lock'))
      names.push(lock.name);
    const atResource = [];
    for await (const lock of clients.locks.managementLocks.listAtResourceLevel(
      'rg-lock',
      'Microsoft.Storage',
      '',
      'storageAccounts',
      'lockeddata',
    ))
      atResource.push(lock.name);
    // Assess
    expect(names.sort()).toEqual(['keep', 'ro']);
    expect(atResource.sort()).toEqual(['keep', 'ro']);
  });

  it('a ReadOnly lock blocks writes and deletes of the resource', async () => {
    const write = await errorOf(
      clients.resources.resources.beginCreateOrUpdateByIdAndWait(
        account,
        V,
        { location: 'westeurope', tags: { x: 'y' } },
        POLL,
      ),
    );
    const del = await errorOf(clients.resources.resources.beginDeleteByIdAndWait(account, V, POLL));
    expect(write).toMatchObject({ statusCode: 409, code: 'ScopeLocked' });
    expect(write.message).toContain('cannot perform write operation');
    expect(del).toMatchObject({ statusCode: 409, code: 'ScopeLocked' });
  });

  it('deletes once the locks are removed', async () => {
    // Act
    await clients.locks.managementLocks.deleteAtResourceLevel(
      'rg-lock',
      'Microsoft.Storage',
      '',
      'storageAccounts',
      'lockeddata',
      'ro',
    );
    await clients.locks.managementLocks.deleteAtResourceGroupLevel('rg-lock', 'keep');
    await clients.resources.resourceGroups.beginDeleteAndWait('rg-lock', POLL);
    // Assess
    expect((await clients.resources.resourceGroups.checkExistence('rg-lock')).body).toBe(false);
  });
});
