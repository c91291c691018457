/**
 * Azure RBAC as ARM enforces it, through the real SDK clients: every request authorized by the
 * operation it maps to, over its scope, against the roles the caller holds there or above. The
 * refusals' shape follows real responses: 403 `AuthorizationFailed` with `x-ms-failure-cause:
 * gateway` and "The client '…' with object id '…' does not have authorization to perform action
 * '…' over scope '…' or the scope is invalid. …" (MicrosoftDocs/azure-docs, and public logs such as
 * `Microsoft.Storage/storageAccounts/listKeys/action`); linked checks as `LinkedAuthorizationFailed`.
 */
import { randomUUID } from 'node:crypto';
import type { TokenCredential } from '@azure/core-auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONTRIBUTOR_ROLE_ID,
  OWNER_ROLE_ID,
  READER_ROLE_ID,
  SYSTEM_IDENTITY,
} from '../../src/index.js';
import { startTestEmulator, type TestEmulator } from '../../src/testing/startTestEmulator.js';
import {
  armClients,
  errorOf,
  POLL,
  roleDefinitionId,
  servicePrincipal,
  user,
} from './armClients.js';

const V = '2024-01-01';

let arm: TestEmulator;
let owner: ReturnType<typeof armClients>;
let sub: string;

const denied = (client: string, objectId: string, action: string, scope: string) =>
  `The client '${client}' with object id '${objectId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`;

async function grant(principalId: string, role: string, scope: string) {
  await owner.authorization.roleAssignments.create(scope, randomUUID(), {
    roleDefinitionId: roleDefinitionId(arm, role),
    principalId,
  });
}

const clientsOf = (credential: TokenCredential) => armClients(arm, credential);

beforeAll(async () => {
  arm = await startTestEmulator();
  owner = armClients(arm);
  sub = `/subscriptions/${arm.subscriptionId}`;
  for (const name of ['rg-a', 'rg-b']) {
    await owner.resources.resourceGroups.createOrUpdate(name, { location: 'westeurope' });
  }
});
afterAll(() => arm.close());

describe('role-based access control', () => {
  it('makes the default identity Owner of its subscription', async () => {
    // Act
    const assignments = [];
    for await (const assignment of owner.authorization.roleAssignments.listForSubscription({
      filter: `principalId eq '${SYSTEM_IDENTITY.principalId}'`,
    })) {
      assignments.push(assignment);
    }
    // Assess
    expect(assignments).toMatchObject([
      {
        scope: sub,
        principalType: 'ServicePrincipal',
        roleDefinitionId: roleDefinitionId(arm, OWNER_ROLE_ID),
      },
    ]);
  });

  it('refuses a principal without a role with 403 AuthorizationFailed naming it, the action and the scope', async () => {
    // Prepare
    const pipeline = servicePrincipal(arm, 'sandbox-pipeline');
    // Act
    const error = await errorOf(
      clientsOf(pipeline.credential).resources.resourceGroups.get('rg-a'),
    );
    // Assess
    expect(error).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
    expect(error.message).toBe(
      denied(
        pipeline.objectId,
        pipeline.objectId,
        'Microsoft.Resources/subscriptions/resourcegroups/read',
        `${sub}/resourcegroups/rg-a`,
      ),
    );
    expect(
      (error as { response?: { headers: { get(n: string): string } } }).response?.headers.get(
        'x-ms-failure-cause',
      ),
    ).toBe('gateway');
  });

  it('lets Reader on a group read it, but not write it', async () => {
    // Prepare
    const bob = user(arm, 'bob@sandbox.test');
    await grant(bob.objectId, READER_ROLE_ID, `${sub}/resourceGroups/rg-a`);
    const clients = clientsOf(bob.credential);
    // Act
    const group = await clients.resources.resourceGroups.get('rg-a');
    const error = await errorOf(
      clients.resources.resourceGroups.update('rg-a', { tags: { a: 'b' } }),
    );
    // Assess
    expect(group.name).toBe('rg-a');
    expect(error.message).toBe(
      denied(
        'bob@sandbox.test',
        bob.objectId,
        'Microsoft.Resources/subscriptions/resourcegroups/write',
        `${sub}/resourcegroups/rg-a`,
      ),
    );
  });

  it('narrows the group list to the groups a group-scoped role covers', async () => {
    // Prepare
    const bob = user(arm, 'bob@sandbox.test');
    // Act
    const names = [];
    for await (const group of clientsOf(bob.credential).resources.resourceGroups.list())
      names.push(group.name);
    // Assess
    expect(names).toEqual(['rg-a']);
  });

  it('refuses a list to a role above its scope that lacks the action, rather than narrowing it', async () => {
    // Prepare: a subscription-wide role that may read groups but not locks.
    const alice = user(arm, 'alice@sandbox.test');
    const role = await owner.authorization.roleDefinitions.createOrUpdate(sub, randomUUID(), {
      roleName: 'Group reader without locks',
      permissions: [{ actions: ['Microsoft.Resources/subscriptions/resourceGroups/read'] }],
      assignableScopes: [sub],
    });
    await grant(alice.objectId, role.name as string, sub);
    // Act
    const error = await errorOf(
      (async () => {
        for await (const lock of clientsOf(
          alice.credential,
        ).locks.managementLocks.listAtResourceGroupLevel('rg-a'))
          void lock;
      })(),
    );
    // Assess: an empty list would tell a caller the group has no locks.
    expect(error).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
    expect(error.message).toBe(
      denied(
        'alice@sandbox.test',
        alice.objectId,
        'Microsoft.Authorization/locks/read',
        `${sub}/resourceGroups/rg-a`,
      ),
    );
  });

  it('lets Contributor create and delete through LROs, polling included', async () => {
    // Prepare
    const operations = servicePrincipal(arm, 'sandbox-operations');
    await grant(operations.objectId, CONTRIBUTOR_ROLE_ID, sub);
    const clients = clientsOf(operations.credential);
    const account = `${sub}/resourceGroups/rg-work/providers/Microsoft.Storage/storageAccounts/contribdata`;
    // Act
    await clients.resources.resourceGroups.createOrUpdate('rg-work', { location: 'westeurope' });
    await clients.resources.resources.beginCreateOrUpdateByIdAndWait(
      account,
      V,
      { location: 'westeurope' },
      POLL,
    );
    await clients.resources.resourceGroups.beginDeleteAndWait('rg-work', POLL);
    // Assess
    expect((await clients.resources.resourceGroups.checkExistence('rg-work')).body).toBe(false);
  });

  it('keeps Contributor from deleting a lock', async () => {
    // Prepare
    const operations = servicePrincipal(arm, 'sandbox-operations');
    await owner.locks.managementLocks.createOrUpdateAtResourceGroupLevel('rg-b', 'keep', {
      level: 'CanNotDelete',
    });
    // Act
    const error = await errorOf(
      clientsOf(operations.credential).locks.managementLocks.deleteAtResourceGroupLevel(
        'rg-b',
        'keep',
      ),
    );
    // Assess
    expect(error).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
    expect(error.message).toBe(
      denied(
        operations.objectId,
        operations.objectId,
        'Microsoft.Authorization/locks/delete',
        `${sub}/resourceGroups/rg-b/providers/Microsoft.Authorization/locks/keep`,
      ),
    );
  });

  it('keeps Contributor from assigning roles', async () => {
    // Prepare
    const operations = servicePrincipal(arm, 'sandbox-operations');
    const name = randomUUID();
    // Act
    const error = await errorOf(
      clientsOf(operations.credential).authorization.roleAssignments.create(sub, name, {
        roleDefinitionId: roleDefinitionId(arm, OWNER_ROLE_ID),
        principalId: operations.objectId,
      }),
    );
    // Assess
    expect(error.message).toBe(
      denied(
        operations.objectId,
        operations.objectId,
        'Microsoft.Authorization/roleAssignments/write',
        `${sub}/providers/Microsoft.Authorization/roleAssignments/${name}`,
      ),
    );
  });

  it('applies a custom role’s wildcard actions and its notActions', async () => {
    // Prepare
    const carol = user(arm, 'carol@sandbox.test');
    await arm.control.seed({
      resourceGroups: [
        {
          name: 'rg-vm',
          location: 'westeurope',
          resources: [
            { type: 'Microsoft.Compute/virtualMachines', name: 'vm1', location: 'westeurope' },
          ],
        },
      ],
    });
    const role = await owner.authorization.roleDefinitions.createOrUpdate(sub, randomUUID(), {
      roleName: 'VM operator',
      description: 'Starts and stops VMs, never deletes them.',
      permissions: [
        {
          actions: [
            'Microsoft.Resources/subscriptions/resourceGroups/read',
            'Microsoft.Compute/virtualMachines/*',
          ],
          notActions: ['Microsoft.Compute/virtualMachines/delete'],
        },
      ],
      assignableScopes: [sub],
    });
    await grant(carol.objectId, role.name as string, `${sub}/resourceGroups/rg-vm`);
    const clients = clientsOf(carol.credential);
    // Act
    await clients.compute.virtualMachines.beginDeallocateAndWait('rg-vm', 'vm1', POLL);
    const error = await errorOf(
      clients.compute.virtualMachines.beginDeleteAndWait('rg-vm', 'vm1', POLL),
    );
    // Assess
    expect(error.message).toBe(
      denied(
        'carol@sandbox.test',
        carol.objectId,
        'Microsoft.Compute/virtualMachines/delete',
        `${sub}/resourceGroups/rg-vm/providers/Microsoft.Compute/virtualMachines/vm1`,
      ),
    );
  });

  // "To delete a resource group, you need access to the delete action for the
  // Microsoft.Resources/subscriptions/resourceGroups resource. You also need delete for all
  // resources in the resource group." (azure-docs, delete-resource-group.md)
  it('refuses a group delete to a caller who may not delete a resource in it, and keeps the group', async () => {
    // Prepare
    const erin = user(arm, 'erin@sandbox.test');
    await arm.control.seed({
      resourceGroups: [
        {
          name: 'rg-keeps-vm',
          location: 'westeurope',
          resources: [
            { type: 'Microsoft.Compute/virtualMachines', name: 'vm1', location: 'westeurope' },
          ],
        },
      ],
    });
    const role = await owner.authorization.roleDefinitions.createOrUpdate(sub, randomUUID(), {
      roleName: 'Group janitor',
      description: 'Deletes groups, not virtual machines.',
      permissions: [
        {
          actions: [
            'Microsoft.Resources/subscriptions/resourceGroups/*',
            'Microsoft.Network/*/delete',
          ],
        },
      ],
      assignableScopes: [sub],
    });
    await grant(erin.objectId, role.name as string, `${sub}/resourceGroups/rg-keeps-vm`);
    // Act
    const error = await errorOf(
      clientsOf(erin.credential).resources.resourceGroups.beginDeleteAndWait('rg-keeps-vm', POLL),
    );
    // Assess
    expect(error).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
    expect(error.message).toBe(
      denied(
        'erin@sandbox.test',
        erin.objectId,
        'Microsoft.Compute/virtualMachines/delete',
        `${sub}/resourceGroups/rg-keeps-vm/providers/Microsoft.Compute/virtualMachines/vm1`,
      ),
    );
    expect((await owner.resources.resourceGroups.get('rg-keeps-vm')).name).toBe('rg-keeps-vm');
    // The request log keeps the refusal, for tests that ask which action a client lacked.
    const [logged] = await arm.control.requests({ method: 'DELETE', path: 'rg-keeps-vm' });
    expect(logged).toMatchObject({
      status: 403,
      error: { code: 'AuthorizationFailed', message: error.message },
    });
  });

  it('refuses a NIC on a subnet the caller may not join, with LinkedAuthorizationFailed', async () => {
    // Prepare
    const dave = user(arm, 'dave@sandbox.test');
    const subnet = `${sub}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet1/subnets/default`;
    const nic = `${sub}/resourceGroups/rg-net/providers/Microsoft.Network/networkInterfaces/nic1`;
    await owner.resources.resourceGroups.createOrUpdate('rg-net', { location: 'westeurope' });
    const role = await owner.authorization.roleDefinitions.createOrUpdate(sub, randomUUID(), {
      roleName: 'NIC writer',
      permissions: [{ actions: ['Microsoft.Network/networkInterfaces/*'] }],
      assignableScopes: [sub],
    });
    await grant(dave.objectId, role.name as string, `${sub}/resourceGroups/rg-net`);
    // Act
    const error = await errorOf(
      clientsOf(dave.credential).resources.resources.beginCreateOrUpdateByIdAndWait(
        nic,
        V,
        {
          location: 'westeurope',
          properties: {
            ipConfigurations: [{ name: 'ip', properties: { subnet: { id: subnet } } }],
          },
        },
        POLL,
      ),
    );
    // Assess
    expect(error).toMatchObject({ statusCode: 403, code: 'LinkedAuthorizationFailed' });
    expect(error.message).toBe(
      `The client 'dave@sandbox.test' with object id '${dave.objectId}' has permission to perform action 'Microsoft.Network/networkInterfaces/write' on scope '${nic}'; however, it does not have permission to perform action(s) 'Microsoft.Network/virtualNetworks/subnets/join/action' on the linked scope(s) '${subnet}' (respectively) or the linked scope(s) are invalid.`,
    );
  });

  it('lets a resource-scoped role read that resource only', async () => {
    // Prepare
    const alice = user(arm, 'alice@sandbox.test');
    const base = `${sub}/resourceGroups/rg-b/providers/Microsoft.Storage/storageAccounts`;
    for (const name of ['mine', 'theirs']) {
      await owner.resources.resources.beginCreateOrUpdateByIdAndWait(
        `${base}/${name}`,
        V,
        { location: 'westeurope' },
        POLL,
      );
    }
    await grant(alice.objectId, READER_ROLE_ID, `${base}/mine`);
    const clients = clientsOf(alice.credential);
    // Act
    const mine = await clients.resources.resources.getById(`${base}/mine`, V);
    const theirs = await errorOf(clients.resources.resources.getById(`${base}/theirs`, V));
    const listed = [];
    for await (const resource of clients.resources.resources.listByResourceGroup('rg-b'))
      listed.push(resource.name);
    // Assess
    expect(mine.name).toBe('mine');
    expect(theirs).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
    expect(listed).toEqual(['mine']);
  });

  it('drops role assignments with the group they were made at', async () => {
    // Prepare
    const erin = user(arm, 'erin@sandbox.test');
    await owner.resources.resourceGroups.createOrUpdate('rg-gone', { location: 'westeurope' });
    await grant(erin.objectId, READER_ROLE_ID, `${sub}/resourceGroups/rg-gone`);
    const before = await clientsOf(erin.credential).resources.resourceGroups.get('rg-gone');
    // Act
    await owner.resources.resourceGroups.beginDeleteAndWait('rg-gone', POLL);
    await owner.resources.resourceGroups.createOrUpdate('rg-gone', { location: 'westeurope' });
    const after = await errorOf(clientsOf(erin.credential).resources.resourceGroups.get('rg-gone'));
    // Assess
    expect(before.name).toBe('rg-gone');
    expect(after).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
  });
});

describe('an emulator started with role assignments', () => {
  let limited: TestEmulator;
  beforeAll(async () => {
    limited = await startTestEmulator({
      roleAssignments: [{ principalId: SYSTEM_IDENTITY.principalId, role: 'Contributor' }],
    });
  });
  afterAll(() => limited.close());

  it('gives the default identity only those, as npm start does for the app', async () => {
    // Prepare
    const clients = armClients(limited);
    await clients.resources.resourceGroups.createOrUpdate('rg-app', { location: 'westeurope' });
    const name = randomUUID();
    // Act
    const error = await errorOf(
      clients.authorization.roleAssignments.create(
        `/subscriptions/${limited.subscriptionId}`,
        name,
        {
          roleDefinitionId: roleDefinitionId(limited, OWNER_ROLE_ID),
          principalId: SYSTEM_IDENTITY.principalId,
        },
      ),
    );
    // Assess
    expect(error.message).toBe(
      denied(
        SYSTEM_IDENTITY.principalId,
        SYSTEM_IDENTITY.principalId,
        'Microsoft.Authorization/roleAssignments/write',
        `/subscriptions/${limited.subscriptionId}/providers/Microsoft.Authorization/roleAssignments/${name}`,
      ),
    );
  });
});
