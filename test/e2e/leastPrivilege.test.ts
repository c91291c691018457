/**
 * Least privilege, proved. In every end-to-end test the app's identity holds only the actions of
 * `infra/appRole.json` (test/support/stack.ts), the role infra/ gives it in Azure, so those suites
 * passing shows the role is enough. Here each action is taken away in turn, and the workflow that
 * needs it must then fail, refused by ARM with that very action named: no action in the role is
 * there without a reason. The identity cannot remove a lock.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { APP_IDENTITY, APP_ROLE_ID, appRole } from '../support/appRole.js';
import { armAsOwner } from '../support/armAsOwner.js';
import { leaseTags, seedGroups, startRun, waitForRun } from '../support/cleanup/cleanupE2e.js';
import { runPowerTimer, scheduleNow } from '../support/power/powerE2e.js';
import { callApi, waitForOperation } from '../support/provision/e2eClient.js';
import { TEST_SSH_KEY } from '../support/provision/fixtures.js';
import { type Stack, startStack } from '../support/stack.js';

let stack: Stack;
let counter = 0;

beforeAll(async () => {
  stack = await startStack({ settings: { MAX_SANDBOXES_PER_OWNER: '1000' } });
});
afterAll(async () => {
  await stack?.stop();
});

/** A fresh sandbox name per scenario. */
const nameFor = (prefix: string) => `lp-${prefix}-${++counter}`;

/** Rewrites the app's role through ARM, as an owner of the subscription would. */
async function setAppRoleActions(actions: readonly string[]): Promise<void> {
  const scope = `/subscriptions/${stack.arm.subscriptionId}`;
  await armAsOwner(
    stack.arm,
    'PUT',
    `${scope}/providers/Microsoft.Authorization/roleDefinitions/${APP_ROLE_ID}?api-version=2022-04-01`,
    {
      properties: {
        roleName: appRole.roleName,
        description: appRole.description,
        type: 'CustomRole',
        permissions: [{ actions, notActions: [] }],
        assignableScopes: [scope],
      },
    },
  );
}

/** Provisions a blueprint through the API; whether its operation succeeded. */
async function provision(blueprint: string, parameters: Record<string, unknown> = {}) {
  const accepted = await callApi(stack, '/api/sandboxes', {
    body: {
      name: nameFor(blueprint),
      owner: 'ana@contoso.com',
      location: 'westeurope',
      blueprint,
      ttlHours: 8,
      parameters,
    },
  });
  if (accepted.status !== 202) return false;
  return (await waitForOperation(stack, accepted.json.operationId)).status === 'succeeded';
}

/** A sandbox in ARM, made behind the app's back, holding one resource of `type` if given. */
async function seededSandbox(type?: string): Promise<string> {
  const name = nameFor('seeded');
  await stack.arm.control.seed({
    resourceGroups: [
      {
        name,
        location: 'westeurope',
        tags: leaseTags(8),
        resources: type ? [{ type, name: `r${counter}`, location: 'westeurope' }] : [],
      },
    ],
  });
  return name;
}

/** Deletes a sandbox through the API; whether its teardown succeeded. */
async function teardown(type?: string) {
  const name = await seededSandbox(type);
  const accepted = await callApi(stack, `/api/sandboxes/${name}`, { method: 'DELETE' });
  if (accepted.status !== 202) return false;
  return (await waitForOperation(stack, accepted.json.operationId)).status === 'succeeded';
}

const vm = () => provision('vm', { sshPublicKey: TEST_SSH_KEY });

/**
 * A sandbox whose VM (`running` or `deallocated`) is in its `kind` hour now; whether a power run
 * then stopped or started it.
 */
async function power(kind: 'off' | 'on') {
  const name = nameFor(`power-${kind}`);
  await stack.arm.control.seed({
    resourceGroups: [
      {
        name,
        location: 'westeurope',
        tags: { ...leaseTags(8), 'sandbox-power-schedule': scheduleNow(kind) },
        resources: [
          {
            type: 'Microsoft.Compute/virtualMachines',
            name: 'vm',
            location: 'westeurope',
            powerState: kind === 'off' ? 'running' : 'deallocated',
            properties: {
              hardwareProfile: { vmSize: 'Standard_B2s' },
              timeCreated: '2026-01-01T00:00:00Z',
            },
          },
        ],
      },
    ],
  });
  const run = await runPowerTimer(stack);
  const acted: Array<{ resourceGroup: string; outcome?: { status: string } }> =
    kind === 'off' ? run.stopped : run.started;
  return acted.some(
    (item) =>
      item.resourceGroup === name &&
      item.outcome?.status === (kind === 'off' ? 'stopped' : 'started'),
  );
}

/**
 * For each action of the role, the workflow that fails without it: the named test. Adding an
 * action to the role without a workflow here fails the first test below.
 */
const needs: Record<string, () => Promise<boolean>> = {
  'Microsoft.Resources/subscriptions/resourceGroups/read': async () =>
    (await callApi(stack, `/api/sandboxes/${await seededSandbox()}`)).status === 200,
  'Microsoft.Resources/subscriptions/resourceGroups/resources/read': async () =>
    (
      await callApi(
        stack,
        `/api/sandboxes/${await seededSandbox('Microsoft.Storage/storageAccounts')}/resources`,
      )
    ).status === 200,
  'Microsoft.Resources/subscriptions/resourceGroups/write': () => provision('empty'),
  'Microsoft.Resources/subscriptions/resourceGroups/delete': () => teardown(),
  'Microsoft.Resources/tags/write': async () =>
    (
      await callApi(stack, `/api/sandboxes/${await seededSandbox()}/extend`, {
        body: { ttlHours: 24 },
      })
    ).status === 200,
  'Microsoft.Authorization/locks/read': async () => {
    await seedGroups(stack, [{ name: nameFor('expired'), tags: leaseTags(-1) }]);
    const run = await waitForRun(stack, await startRun(stack, { dryRun: true }));
    return run.status === 'completed';
  },
  'Microsoft.Storage/storageAccounts/write': () => provision('storage'),
  'Microsoft.Storage/storageAccounts/delete': () => teardown('Microsoft.Storage/storageAccounts'),
  'Microsoft.Storage/storageAccounts/blobServices/write': () => provision('storage'),
  'Microsoft.Storage/storageAccounts/blobServices/containers/write': () => provision('storage'),
  'Microsoft.Network/virtualNetworks/read': vm,
  'Microsoft.Network/virtualNetworks/write': vm,
  'Microsoft.Network/virtualNetworks/delete': () => teardown('Microsoft.Network/virtualNetworks'),
  'Microsoft.Network/virtualNetworks/subnets/join/action': vm,
  'Microsoft.Network/networkInterfaces/read': vm,
  'Microsoft.Network/networkInterfaces/write': vm,
  'Microsoft.Network/networkInterfaces/delete': () =>
    teardown('Microsoft.Network/networkInterfaces'),
  'Microsoft.Network/networkInterfaces/join/action': vm,
  'Microsoft.Compute/virtualMachines/read': vm,
  'Microsoft.Compute/virtualMachines/write': vm,
  'Microsoft.Compute/virtualMachines/delete': () => teardown('Microsoft.Compute/virtualMachines'),
  'Microsoft.Compute/virtualMachines/deallocate/action': () => power('off'),
  'Microsoft.Compute/virtualMachines/start/action': () => power('on'),
  'Microsoft.Web/serverfarms/write': () => provision('webapp'),
  'Microsoft.Web/serverfarms/delete': () => teardown('Microsoft.Web/serverfarms'),
  'Microsoft.Web/sites/write': () => provision('webapp'),
  'Microsoft.Web/sites/delete': () => teardown('Microsoft.Web/sites'),
  'Microsoft.DBforMySQL/flexibleServers/read': () => provision('mysql', { databaseName: 'app' }),
  'Microsoft.DBforMySQL/flexibleServers/write': () => provision('mysql', { databaseName: 'app' }),
  'Microsoft.DBforMySQL/flexibleServers/delete': () =>
    teardown('Microsoft.DBforMySQL/flexibleServers'),
  'Microsoft.DBforMySQL/flexibleServers/databases/read': () =>
    provision('mysql', { databaseName: 'app' }),
  'Microsoft.DBforMySQL/flexibleServers/databases/write': () =>
    provision('mysql', { databaseName: 'app' }),
};

describe("the app's role (infra/appRole.json)", () => {
  afterEach(async () => {
    await setAppRoleActions(appRole.actions);
  });

  it('names a workflow for every action it holds, and holds no action without one', () => {
    expect(Object.keys(needs).sort()).toEqual([...appRole.actions].sort());
  });

  it.each(appRole.actions)(
    'is needed: without %s, its workflow fails, refused by ARM',
    async (action) => {
      // Prepare
      await setAppRoleActions(appRole.actions.filter((a) => a !== action));
      await stack.arm.control.clearRequests();

      // Act
      const succeeded = await needs[action]!();

      // Assess: the workflow failed, and ARM refused the app's identity that action.
      expect(succeeded).toBe(false);
      const refusals = (await stack.arm.control.requests({ limit: 10_000 }))
        .filter((entry) => entry.status === 403)
        .map((entry) => entry.error?.message.toLowerCase() ?? '');
      // ARM names the action in the URL's casing (`resourcegroups`); actions match in any case.
      expect(refusals.some((message) => message.includes(`'${action.toLowerCase()}'`))).toBe(true);
      expect(refusals.every((message) => message.includes(APP_IDENTITY.principalId))).toBe(true);
    },
  );

  it('does not let the identity remove a lock: 403 AuthorizationFailed', async () => {
    // Prepare
    const name = nameFor('locked');
    await seedGroups(stack, [{ name, tags: leaseTags(8), lock: 'CanNotDelete' }]);
    const lockId = `/subscriptions/${stack.arm.subscriptionId}/resourceGroups/${name}/providers/Microsoft.Authorization/locks/hold`;
    const token = await appIdentityToken();

    // Act
    const response = await fetch(`${stack.arm.endpoint}${lockId}?api-version=2020-05-01`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });

    // Assess
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      error: {
        code: 'AuthorizationFailed',
        message: expect.stringContaining(
          `does not have authorization to perform action 'Microsoft.Authorization/locks/delete' over scope '${lockId}'`,
        ),
      },
    });
  });
});

/** A token for ARM as the app's identity, from the emulator's managed-identity endpoint. */
async function appIdentityToken(): Promise<string> {
  const response = await fetch(
    `${stack.arm.identityEndpoint}?resource=https://management.azure.com&api-version=2019-08-01&client_id=${APP_IDENTITY.clientId}`,
    { headers: { 'X-IDENTITY-HEADER': stack.arm.identityHeader } },
  );
  return ((await response.json()) as { access_token: string }).access_token;
}
