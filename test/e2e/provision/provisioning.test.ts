/**
 * Provisioning end to end: real HTTP to the local host running the built app, the queue in
 * Azurite, and ARM calls to the emulator. One stack for the file; tests run in order.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callApi,
  groupInEmulator,
  resourcesInEmulator,
  storedOperation,
  waitForOperation,
} from '../../support/provision/e2eClient.js';
import { TEST_SSH_KEY } from '../../support/provision/fixtures.js';
import { STACK_AUTOMATION, type Stack, startStack } from '../../support/stack.js';

let stack: Stack;

beforeAll(async () => {
  // VM creates take 4 s (at the tests' time scale), long enough to kill a worker mid-LRO; group
  // deletes 2 s, long enough to ask again while one runs.
  stack = await startStack({
    settings: { ADMIN_PRINCIPALS: 'role:SandboxAdmin' },
    emulator: { durations: { vmCreate: 4_000_000, resourceGroupDelete: 2_000_000 } },
  });
});
afterAll(async () => {
  await stack?.stop();
});

const request = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  owner: 'ana@contoso.com',
  location: 'westeurope',
  blueprint: 'empty',
  ttlHours: 8,
  ...extra,
});

describe('provisioning over HTTP', () => {
  const blueprints = [
    { blueprint: 'empty', parameters: {}, types: [] },
    {
      blueprint: 'storage',
      parameters: { containerName: 'logs' },
      types: [
        'Microsoft.Storage/storageAccounts',
        'Microsoft.Storage/storageAccounts/blobServices',
        'Microsoft.Storage/storageAccounts/blobServices/containers',
      ],
    },
    {
      blueprint: 'vm',
      parameters: { sshPublicKey: TEST_SSH_KEY },
      types: [
        'Microsoft.Compute/virtualMachines',
        'Microsoft.Network/networkInterfaces',
        'Microsoft.Network/virtualNetworks',
        // NRP makes each subnet in a vnet's definition a child resource of its own.
        'Microsoft.Network/virtualNetworks/subnets',
      ],
    },
    {
      blueprint: 'webapp',
      parameters: {},
      types: ['Microsoft.Web/serverfarms', 'Microsoft.Web/sites'],
    },
    {
      blueprint: 'mysql',
      parameters: { databaseName: 'app' },
      types: [
        'Microsoft.DBforMySQL/flexibleServers',
        'Microsoft.DBforMySQL/flexibleServers/databases',
      ],
    },
  ];

  it('builds every blueprint to succeeded, with its resources and tags in ARM', async () => {
    // Act
    const accepted = await Promise.all(
      blueprints.map(({ blueprint, parameters }) =>
        callApi(stack, '/api/sandboxes', {
          body: request(`e2e-${blueprint}`, { blueprint, parameters, tags: { team: 'e2e' } }),
        }),
      ),
    );
    const done = await Promise.all(
      accepted.map((a) => waitForOperation(stack, a.json.operationId)),
    );

    // Assess
    const pipeline = (await stack.arm.control.entra()).servicePrincipals.find(
      (sp) => sp.displayName === STACK_AUTOMATION,
    )!;
    for (const [i, { blueprint, types }] of blueprints.entries()) {
      const name = `e2e-${blueprint}`;
      expect(accepted[i]?.status).toBe(202);
      expect(accepted[i]?.headers.get('location')).toBe(
        `/api/operations/${accepted[i]?.json.operationId}`,
      );
      expect(accepted[i]?.headers.get('retry-after')).toBe('2');
      expect(done[i]).toMatchObject({ status: 'succeeded', sandbox: name, kind: 'provision' });
      expect(done[i].steps.every((s: { state: string }) => s.state === 'succeeded')).toBe(true);
      expect(groupInEmulator(stack, name)?.tags).toEqual({
        team: 'e2e',
        'managed-by': 'sandbox-automation',
        'sandbox-owner': 'ana@contoso.com',
        'sandbox-owner-name': 'ana@contoso.com',
        'sandbox-expires-at': done[i].expiresAt,
        'sandbox-blueprint': blueprint,
        'sandbox-operation-id': done[i].id,
        // The pipeline that asked: its token names it by client id alone.
        'created-by': pipeline.clientId,
        'created-at': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
      expect(resourcesInEmulator(stack, name).map((r) => r.type)).toEqual(types);
      expect(
        resourcesInEmulator(stack, name).every((r) => r.provisioningState === 'Succeeded'),
      ).toBe(true);
    }
    const listed = await callApi(stack, '/api/sandboxes?owner=ANA@contoso.com');
    expect(listed.json.value.map((s: { name: string }) => s.name)).toEqual(
      blueprints.map((b) => `e2e-${b.blueprint}`).sort(),
    );
    const one = await callApi(stack, '/api/sandboxes/e2e-storage');
    expect(one.json).toMatchObject({
      owner: 'ana@contoso.com',
      blueprint: 'storage',
      state: 'Succeeded',
    });
  });

  it('answers retries with the same Idempotency-Key with one operation; 422 for another body; 409 for a taken name', async () => {
    // Act
    const retries = await Promise.all(
      [1, 2, 3].map(() =>
        callApi(stack, '/api/sandboxes', {
          body: request('e2e-idem', { owner: 'idem@contoso.com' }),
          headers: { 'idempotency-key': 'e2e-key-1' },
        }),
      ),
    );
    expect(
      retries.map((r) => r.status),
      JSON.stringify(retries.map((r) => r.json)),
    ).toEqual([202, 202, 202]);
    const ids = new Set(retries.map((r) => r.json.operationId));
    const done = await waitForOperation(stack, [...ids][0] as string);
    const reuse = await callApi(stack, '/api/sandboxes', {
      body: request('e2e-idem', { owner: 'idem@contoso.com', ttlHours: 9 }),
      headers: { 'idempotency-key': 'e2e-key-1' },
    });
    const taken = await callApi(stack, '/api/sandboxes', {
      body: request('e2e-idem', { owner: 'idem@contoso.com' }),
    });

    // Assess
    expect(retries.map((r) => r.status)).toEqual([202, 202, 202]);
    expect(ids.size).toBe(1);
    expect(done.status).toBe('succeeded');
    expect(reuse).toMatchObject({
      status: 422,
      json: { type: expect.stringContaining('idempotency-key-reuse') },
    });
    expect(reuse.headers.get('content-type')).toBe('application/problem+json');
    expect(taken).toMatchObject({ status: 409, json: { status: 409, title: 'Sandbox exists' } });
  });

  it('lets only the owner or an admin extend and delete (403 otherwise), and deletes the group', async () => {
    // Prepare
    const created = await callApi(stack, '/api/sandboxes', {
      body: request('e2e-owned', { owner: undefined }),
      as: 'olga@contoso.com',
    });
    await waitForOperation(stack, created.json.operationId);

    // Act
    const strangerExtends = await callApi(stack, '/api/sandboxes/e2e-owned/extend', {
      body: { ttlHours: 24 },
      as: 'bob@contoso.com',
    });
    const strangerDeletes = await callApi(stack, '/api/sandboxes/e2e-owned', {
      method: 'DELETE',
      as: 'bob@contoso.com',
    });
    const tooLong = await callApi(stack, '/api/sandboxes/e2e-owned/extend', {
      body: { ttlHours: 10_000 },
      as: 'olga@contoso.com',
    });
    const ownerExtends = await callApi(stack, '/api/sandboxes/e2e-owned/extend', {
      body: { ttlHours: 24 },
      as: 'olga@contoso.com',
    });
    const adminDeletes = await callApi(stack, '/api/sandboxes/e2e-owned', {
      method: 'DELETE',
      as: 'ops@contoso.com',
    });
    const teardown = await waitForOperation(stack, adminDeletes.json.operationId);

    // Assess
    expect(strangerExtends).toMatchObject({ status: 403, json: { title: 'Forbidden' } });
    expect(strangerDeletes.status).toBe(403);
    expect(tooLong).toMatchObject({ status: 422, json: { errors: [{ rule: 'ttl-max' }] } });
    expect(ownerExtends.status).toBe(200);
    expect(Date.parse(ownerExtends.json.expiresAt) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    expect(adminDeletes.status).toBe(202);
    expect(teardown).toMatchObject({ status: 'succeeded', kind: 'teardown' });
    expect(groupInEmulator(stack, 'e2e-owned')).toBeUndefined();
    expect((await callApi(stack, '/api/sandboxes/e2e-owned')).status).toBe(404);
  });

  // Issue 16, defects 1 and 2: nine DELETEs made nine teardowns and nine ARM deletes; extending
  // meanwhile answered 503, then 404.
  it('answers repeated deletes with the one teardown (ARM sees one DELETE), and extending meanwhile with 409', async () => {
    // Prepare
    const created = await callApi(stack, '/api/sandboxes', {
      body: request('e2e-repeat', { owner: 'repeat@contoso.com' }),
    });
    await waitForOperation(stack, created.json.operationId);
    await stack.arm.control.clearRequests();

    // Act
    const deletes = await Promise.all(
      Array.from({ length: 9 }, () =>
        callApi(stack, '/api/sandboxes/e2e-repeat', { method: 'DELETE' }),
      ),
    );
    const operationId = deletes[0]?.json.operationId;
    const extendedWhileQueued = await callApi(stack, '/api/sandboxes/e2e-repeat/extend', {
      body: { ttlHours: 24 },
    });
    const done = await waitForOperation(stack, operationId);

    // Assess
    expect(deletes.map((d) => d.status)).toEqual(Array(9).fill(202));
    expect(new Set(deletes.map((d) => d.json.operationId))).toEqual(new Set([operationId]));
    expect(new Set(deletes.map((d) => d.headers.get('location')))).toEqual(
      new Set([deletes[0]?.headers.get('location')]),
    );
    expect(extendedWhileQueued).toMatchObject({
      status: 409,
      json: { code: 'SandboxBeingDeleted', operationId },
    });
    expect(done.status).toBe('succeeded');
    const armDeletes = await stack.arm.control.requests({ method: 'DELETE', path: 'e2e-repeat' });
    expect(armDeletes.map((r) => `${r.method} ${r.url.split('?')[0]?.toLowerCase()}`)).toEqual([
      `DELETE /subscriptions/${stack.arm.subscriptionId}/resourcegroups/e2e-repeat`,
    ]);
  });

  it("ends an operation whose ARM LRO ends Failed as failed, with ARM's code", async () => {
    // Prepare
    await stack.arm.control.setFaults({
      lroFailureRate: 1,
      match: { method: 'PUT', path: 'storageAccounts' },
    });

    // Act
    const accepted = await callApi(stack, '/api/sandboxes', {
      body: request('e2e-lro-fails', { owner: 'lro@contoso.com', blueprint: 'storage' }),
    });
    const done = await waitForOperation(stack, accepted.json.operationId);
    await stack.arm.control.setFaults({});

    // Assess
    expect(done).toMatchObject({
      status: 'failed',
      // ARM's code and message, even though the create failed before the SDK's first poll returned.
      error: {
        code: 'InternalServerError',
        message: expect.stringContaining('an internal error was injected'),
      },
    });
    expect(done.steps.map((s: { name: string; state: string }) => `${s.name}:${s.state}`)).toEqual([
      'resourceGroup:succeeded',
      'account:failed',
      'blobService:pending',
      'container:pending',
    ]);
    // FAILED_SANDBOX_POLICY=keep (the default): the partial group stays a day, for inspection.
    const lease = done.partialGroup?.leaseExpiresAt;
    expect(done.partialGroup).toEqual({
      name: 'e2e-lro-fails',
      action: 'kept',
      leaseExpiresAt: expect.any(String),
    });
    expect(Date.parse(lease) - Date.parse(done.updatedAt)).toBeLessThanOrEqual(24 * 3_600_000);
    expect(groupInEmulator(stack, 'e2e-lro-fails')?.tags).toMatchObject({
      'sandbox-state': 'failed',
      'sandbox-expires-at': lease,
    });
    const extend = await callApi(stack, '/api/sandboxes/e2e-lro-fails/extend', {
      body: { ttlHours: 8 },
    });
    expect(extend.status).toBe(409);
    expect(extend.json).toMatchObject({ code: 'SandboxFailed' });
  });

  it('rides out a 429 storm to succeeded', async () => {
    // Prepare
    await stack.arm.control.setFaults({ seed: 42, status429Rate: 0.4 });

    // Act
    const accepted = await callApi(stack, '/api/sandboxes', {
      body: request('e2e-throttled', { owner: 'throttle@contoso.com', blueprint: 'webapp' }),
    });
    const done = await waitForOperation(stack, accepted.json.operationId, 45_000);
    const stats = await stack.arm.control.stats();
    await stack.arm.control.setFaults({});

    // Assess
    expect(done.status).toBe('succeeded');
    expect(stats.byStatus['429']).toBeGreaterThan(0);
    expect(resourcesInEmulator(stack, 'e2e-throttled')).toHaveLength(2);
  });

  it('resumes a VM create after the worker is killed mid-LRO: no duplicate, nothing lost', async () => {
    // Prepare
    await stack.arm.control.clearRequests();
    const accepted = await callApi(stack, '/api/sandboxes', {
      body: request('e2e-killed', {
        owner: 'kill@contoso.com',
        blueprint: 'vm',
        parameters: { sshPublicKey: TEST_SSH_KEY },
      }),
    });
    await waitFor(async () => (await vmPuts()).length > 0);
    // Kill the worker once it has saved the VM poller's resume token, mid-operation.
    await waitFor(async () =>
      Boolean(
        (await storedOperation(stack, accepted.json.operationId))?.steps.some(
          (step) => step.name === 'vm' && step.resumeToken,
        ),
      ),
    );

    // Act
    await stack.stopHost('SIGKILL');
    await stack.startHost();
    const done = await waitForOperation(stack, accepted.json.operationId, 45_000);

    // Assess
    expect(done.status).toBe('succeeded');
    expect(done.attempts).toBeGreaterThanOrEqual(2);
    // The restarted worker resumed the saved poller instead of sending the PUT again.
    expect(stack.logs()).toMatch(/resuming long-running operation.*virtualMachines/);
    expect((await vmPuts()).filter((r) => r.status < 300)).toHaveLength(1);
    expect(resourcesInEmulator(stack, 'e2e-killed').map((r) => r.type)).toEqual([
      'Microsoft.Compute/virtualMachines',
      'Microsoft.Network/networkInterfaces',
      'Microsoft.Network/virtualNetworks',
      'Microsoft.Network/virtualNetworks/subnets',
    ]);
  });

  it('answers random and malformed POST bodies with a 4xx problem, never a 500, never a side effect (property)', async () => {
    // Prepare
    const before = await stack.arm.control.stats();
    const body = fc.oneof(
      fc.json(),
      fc.string(),
      fc
        .record(
          {
            name: fc.string(),
            location: fc.string(),
            blueprint: fc.string(),
            ttlHours: fc.anything(),
          },
          { requiredKeys: [] },
        )
        .map((v) => JSON.stringify(v)),
    );

    // Act + Assess
    await fc.assert(
      fc.asyncProperty(
        body,
        fc.constantFrom('application/json', 'text/plain'),
        async (text, type) => {
          const response = await callApi(stack, '/api/sandboxes', {
            body: text === '' ? ' ' : text,
            headers: { 'content-type': type },
          });
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
          expect(response.headers.get('content-type')).toBe('application/problem+json');
        },
      ),
      { numRuns: 40 },
    );
    const after = await stack.arm.control.stats();
    expect(after.resourceGroups).toBe(before.resourceGroups);
  });
});

describe('a failed provisioning under FAILED_SANDBOX_POLICY=delete', () => {
  beforeAll(async () => {
    await stack.stopHost();
    await stack.startHost({ FAILED_SANDBOX_POLICY: 'delete' });
  });

  it('tears its partial group down through the teardown path, reporting it on the operation', async () => {
    // Prepare
    await stack.arm.control.setFaults({
      lroFailureRate: 1,
      match: { method: 'PUT', path: 'storageAccounts' },
    });

    // Act
    const accepted = await callApi(stack, '/api/sandboxes', {
      body: request('e2e-fails-deleted', { owner: 'lro@contoso.com', blueprint: 'storage' }),
    });
    const done = await waitForOperation(stack, accepted.json.operationId);
    await stack.arm.control.setFaults({});
    const teardown = await waitForOperation(stack, done.partialGroup?.teardownOperationId);

    // Assess
    expect(done).toMatchObject({
      status: 'failed',
      error: { code: 'InternalServerError' },
      partialGroup: { name: 'e2e-fails-deleted', action: 'deleting' },
    });
    expect(teardown).toMatchObject({
      kind: 'teardown',
      status: 'succeeded',
      sandbox: 'e2e-fails-deleted',
      requestedBy: 'failed-sandbox-policy',
    });
    expect(groupInEmulator(stack, 'e2e-fails-deleted')).toBeUndefined();
  });
});

async function vmPuts() {
  const requests = await stack.arm.control.requests({ method: 'PUT', path: 'virtualMachines' });
  return requests.filter((r) => /\/virtualMachines\/[^/?]+\?/i.test(r.url));
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
