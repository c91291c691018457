/**
 * `Microsoft.Authorization/roleAssignments` and `roleDefinitions` through `@azure/arm-authorization`,
 * shaped as `Azure/azure-rest-api-specs` specification/authorization/…/stable/2022-04-01 describes
 * them (examples `RoleAssignments_CreateForResourceGroup.json`, `RoleAssignments_ListForScope.json`,
 * `PutRoleDefinition.json`, `DeleteRoleDefinition.json`), with the error codes ARM answers
 * (`RoleAssignmentExists`, `PrincipalNotFound`, `RoleDefinitionHasAssignments`, …).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONTRIBUTOR_ROLE_ID,
  DEFAULT_USER_ASSIGNED_IDENTITIES,
  OWNER_ROLE_ID,
  READER_ROLE_ID,
  SYSTEM_IDENTITY,
  TAG_CONTRIBUTOR_ROLE_ID,
} from '../../src/index.js';
import { startTestEmulator, type TestEmulator } from '../../src/testing/startTestEmulator.js';
import {
  armClients,
  errorOf,
  POLL,
  rawRequest,
  roleDefinitionId,
  servicePrincipal,
} from './armClients.js';

let arm: TestEmulator;
let clients: ReturnType<typeof armClients>;
let sub: string;
let rg: string;
let alice: TestEmulator['entra']['users'][number];
let bob: TestEmulator['entra']['users'][number];

beforeAll(async () => {
  arm = await startTestEmulator();
  clients = armClients(arm);
  sub = `/subscriptions/${arm.subscriptionId}`;
  rg = `${sub}/resourceGroups/rg-roles`;
  [alice, bob] = arm.entra.users as [typeof alice, typeof bob];
  await clients.resources.resourceGroups.createOrUpdate('rg-roles', { location: 'westeurope' });
});
afterAll(() => arm.close());

const assign = (scope: string, principalId: string, role: string, name = randomUUID()) =>
  clients.authorization.roleAssignments.create(scope, name, {
    roleDefinitionId: roleDefinitionId(arm, role),
    principalId,
  });

describe('role assignments', () => {
  it('creates one at a group with 201, in the shape of the spec example', async () => {
    // Prepare
    const name = randomUUID();
    // Act
    const res = await rawRequest(
      arm,
      'PUT',
      `${rg}/providers/Microsoft.Authorization/roleAssignments/${name}?api-version=2022-04-01`,
      {
        token: (await clients.credential.getToken('https://management.azure.com/.default'))?.token,
        body: JSON.stringify({
          properties: {
            roleDefinitionId: roleDefinitionId(arm, READER_ROLE_ID),
            principalId: alice.objectId,
            principalType: 'User',
          },
        }),
      },
    );
    // Assess
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      properties: {
        roleDefinitionId: roleDefinitionId(arm, READER_ROLE_ID),
        principalId: alice.objectId,
        principalType: 'User',
        scope: rg,
        createdBy: null,
        updatedBy: SYSTEM_IDENTITY.principalId,
      },
      id: `${rg}/providers/Microsoft.Authorization/roleAssignments/${name}`,
      type: 'Microsoft.Authorization/roleAssignments',
      name,
    });
  });

  it('lists at and above a scope with atScope(), and below it too without', async () => {
    // Prepare
    await assign(`${rg}`, bob.objectId, TAG_CONTRIBUTOR_ROLE_ID);
    // Act
    const names = async (scope: string, filter?: string) => {
      const found = [];
      for await (const a of clients.authorization.roleAssignments.listForScope(
        scope,
        filter ? { filter } : {},
      )) {
        found.push(`${a.principalId}:${a.roleDefinitionId?.split('/').pop()}`);
      }
      return found.sort();
    };
    const atSubscription = await names(sub, 'atScope()');
    const belowToo = await names(sub, `principalId eq '${bob.objectId}'`);
    const atGroup = await names(rg, 'atScope()');
    // Assess
    const owners = [SYSTEM_IDENTITY, ...DEFAULT_USER_ASSIGNED_IDENTITIES].map(
      (identity) => `${identity.principalId}:${OWNER_ROLE_ID}`,
    );
    expect(atSubscription).toEqual(owners.sort());
    expect(belowToo).toEqual([`${bob.objectId}:${TAG_CONTRIBUTOR_ROLE_ID}`]);
    expect(atGroup).toEqual(
      [
        ...owners,
        `${alice.objectId}:${READER_ROLE_ID}`,
        `${bob.objectId}:${TAG_CONTRIBUTOR_ROLE_ID}`,
      ].sort(),
    );
  });

  it('answers 409 RoleAssignmentExists for the same principal, role and scope under another name', async () => {
    // Prepare
    const first = await assign(sub, alice.objectId, READER_ROLE_ID);
    // Act
    const error = await errorOf(assign(sub, alice.objectId, READER_ROLE_ID));
    // Assess
    expect(error).toMatchObject({ statusCode: 409, code: 'RoleAssignmentExists' });
    expect(error.message).toBe(
      `The role assignment already exists. The ID of the existing role assignment is ${first.name?.replace(/-/g, '')}.`,
    );
  });

  it('answers 409 RoleAssignmentUpdateNotPermitted when a name is reused for another principal', async () => {
    const name = randomUUID();
    await assign(rg, alice.objectId, CONTRIBUTOR_ROLE_ID, name);
    const error = await errorOf(assign(rg, bob.objectId, CONTRIBUTOR_ROLE_ID, name));
    expect(error).toMatchObject({ statusCode: 409, code: 'RoleAssignmentUpdateNotPermitted' });
    expect(error.message).toBe(
      'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.',
    );
  });

  it('answers 400 PrincipalNotFound for an unknown principal, unless its type is given', async () => {
    // Prepare
    const stranger = randomUUID();
    // Act
    const error = await errorOf(assign(rg, stranger, READER_ROLE_ID));
    const typed = await clients.authorization.roleAssignments.create(rg, randomUUID(), {
      roleDefinitionId: roleDefinitionId(arm, READER_ROLE_ID),
      principalId: stranger,
      principalType: 'ServicePrincipal',
    });
    // Assess
    expect(error).toMatchObject({ statusCode: 400, code: 'PrincipalNotFound' });
    expect(error.message).toMatch(
      new RegExp(
        `^Principal ${stranger.replace(/-/g, '')} does not exist in the directory ${arm.tenantId}\\.`,
      ),
    );
    expect(typed.principalType).toBe('ServicePrincipal');
  });

  it('answers 400 UnmatchedPrincipalType when the given type is not the principal’s', async () => {
    const error = await errorOf(
      clients.authorization.roleAssignments.create(rg, randomUUID(), {
        roleDefinitionId: roleDefinitionId(arm, READER_ROLE_ID),
        principalId: alice.objectId,
        principalType: 'ServicePrincipal',
      }),
    );
    expect(error.message).toBe(
      `The PrincipalId '${alice.objectId.replace(/-/g, '')}' has type 'User' , which is different from specified PrinciaplType 'ServicePrincipal'.`,
    );
  });

  it('answers 400 RoleDefinitionDoesNotExist for an unknown role', async () => {
    const missing = randomUUID();
    const error = await errorOf(assign(rg, alice.objectId, missing));
    expect(error).toMatchObject({ statusCode: 400, code: 'RoleDefinitionDoesNotExist' });
    expect(error.message).toBe(
      `The specified role definition with ID '${missing}' does not exist.`,
    );
  });

  it('deletes with 200 and the assignment, then answers 204', async () => {
    // Prepare
    const created = await assign(rg, alice.objectId, TAG_CONTRIBUTOR_ROLE_ID);
    const token = (await clients.credential.getToken('https://management.azure.com/.default'))
      ?.token;
    const path = `${rg}/providers/Microsoft.Authorization/roleAssignments/${created.name}?api-version=2022-04-01`;
    // Act
    const first = await rawRequest(arm, 'DELETE', path, { token });
    const second = await rawRequest(arm, 'DELETE', path, { token });
    // Assess
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ name: created.name, properties: { scope: rg } });
    expect(second.status).toBe(204);
  });
});

describe('role definitions', () => {
  it('serves the built-in roles with ARM’s ids and permissions', async () => {
    // Act
    const reader = await clients.authorization.roleDefinitions.getById(
      roleDefinitionId(arm, READER_ROLE_ID),
    );
    const byName = [];
    for await (const role of clients.authorization.roleDefinitions.list(sub, {
      filter: "roleName eq 'Tag Contributor'",
    })) {
      byName.push(role.name);
    }
    // Assess
    expect(reader).toMatchObject({
      name: READER_ROLE_ID,
      roleName: 'Reader',
      roleType: 'BuiltInRole',
      assignableScopes: ['/'],
      permissions: [{ actions: ['*/read'], notActions: [], dataActions: [], notDataActions: [] }],
    });
    expect(byName).toEqual([TAG_CONTRIBUTOR_ROLE_ID]);
  });

  it('creates a custom role with 201, refuses a second role of the same name, and lists it', async () => {
    // Prepare
    const definition = {
      roleName: 'Sandbox janitor',
      description: 'Deletes expired sandbox groups.',
      permissions: [
        { actions: ['Microsoft.Resources/subscriptions/resourceGroups/*'], notActions: [] },
      ],
      assignableScopes: [sub],
    };
    // Act
    const created = await clients.authorization.roleDefinitions.createOrUpdate(
      sub,
      randomUUID(),
      definition,
    );
    const duplicate = await errorOf(
      clients.authorization.roleDefinitions.createOrUpdate(sub, randomUUID(), definition),
    );
    const custom = [];
    for await (const role of clients.authorization.roleDefinitions.list(sub, {
      filter: "type eq 'CustomRole'",
    })) {
      custom.push(role.roleName);
    }
    // Assess
    expect(created).toMatchObject({
      roleName: 'Sandbox janitor',
      roleType: 'CustomRole',
      assignableScopes: [sub],
    });
    expect(duplicate).toMatchObject({ statusCode: 409, code: 'RoleDefinitionWithSameNameExists' });
    expect(duplicate.message).toBe(
      'A custom role with the same name already exists in this directory.',
    );
    expect(custom).toContain('Sandbox janitor');
  });

  it('refuses to delete a custom role while it is assigned, then deletes it', async () => {
    // Prepare
    const id = randomUUID();
    await clients.authorization.roleDefinitions.createOrUpdate(sub, id, {
      roleName: 'Short-lived',
      permissions: [{ actions: ['*/read'] }],
      assignableScopes: [rg],
    });
    const assignment = await assign(rg, bob.objectId, id);
    // Act
    const refused = await errorOf(clients.authorization.roleDefinitions.delete(sub, id));
    await clients.authorization.roleAssignments.delete(rg, assignment.name as string);
    const deleted = await clients.authorization.roleDefinitions.delete(sub, id);
    // Assess
    expect(refused).toMatchObject({ statusCode: 409, code: 'RoleDefinitionHasAssignments' });
    expect(refused.message).toBe('There are existing role assignments referencing role.');
    expect(deleted?.name).toBe(id);
  });

  it('finds a custom role only where it can be assigned', async () => {
    // Prepare
    const id = randomUUID();
    await clients.authorization.roleDefinitions.createOrUpdate(sub, id, {
      roleName: 'Group only',
      permissions: [{ actions: ['*/read'] }],
      assignableScopes: [rg],
    });
    // Act
    const error = await errorOf(assign(sub, alice.objectId, id));
    // Assess
    expect(error).toMatchObject({ statusCode: 400, code: 'RoleDefinitionDoesNotExist' });
  });
});

describe('role assignments across a restart', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rbac-state-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('keeps custom roles and assignments made through ARM, and re-applies the configured ones', async () => {
    // Prepare
    const stateFile = join(dir, 'state.json');
    const first = await startTestEmulator({ stateFile });
    const firstClients = armClients(first);
    const scope = `/subscriptions/${first.subscriptionId}`;
    const role = await firstClients.authorization.roleDefinitions.createOrUpdate(
      scope,
      randomUUID(),
      {
        roleName: 'Kept',
        permissions: [{ actions: ['*/read'] }],
        assignableScopes: [scope],
      },
    );
    await firstClients.authorization.roleAssignments.create(scope, randomUUID(), {
      roleDefinitionId: `${scope}/providers/Microsoft.Authorization/roleDefinitions/${role.name}`,
      principalId: alice.objectId,
    });
    await first.close();
    // Act
    const second = await startTestEmulator({
      stateFile,
      roleAssignments: [
        { principalId: SYSTEM_IDENTITY.principalId, role: 'User Access Administrator' },
      ],
    });
    const found = [];
    for await (const a of armClients(second).authorization.roleAssignments.listForSubscription()) {
      found.push(`${a.principalId}:${a.roleDefinitionId?.split('/').pop()}`);
    }
    await second.close();
    // Assess
    expect(found.sort()).toEqual(
      [
        `${alice.objectId}:${role.name}`,
        `${SYSTEM_IDENTITY.principalId}:18d7d88d-d35e-4fb5-a5c3-7773c20a72d9`,
      ].sort(),
    );
  });
});

describe('polling', () => {
  it('follows the subscription-level polling URLs of LROs started under a group-scoped role', async () => {
    // Prepare
    await clients.resources.resourceGroups.createOrUpdate('rg-poll', { location: 'westeurope' });
    const pipeline = servicePrincipal(arm, 'sandbox-pipeline');
    await assign(`${sub}/resourceGroups/rg-poll`, pipeline.objectId, CONTRIBUTOR_ROLE_ID);
    const scoped = armClients(arm, pipeline.credential);
    const account = `${sub}/resourceGroups/rg-poll/providers/Microsoft.Storage/storageAccounts/polled`;
    // Act
    await scoped.resources.resources.beginCreateOrUpdateByIdAndWait(
      account,
      '2024-01-01',
      { location: 'westeurope' },
      POLL,
    );
    await scoped.resources.resources.beginDeleteByIdAndWait(account, '2024-01-01', POLL);
    const polls = await arm.control.requests({
      path: 'operation(statuses|results)|asyncoperations',
    });
    // Assess
    expect(polls.length).toBeGreaterThan(0);
    expect(polls.every((entry) => entry.status === 200 || entry.status === 202)).toBe(true);
  });
});
