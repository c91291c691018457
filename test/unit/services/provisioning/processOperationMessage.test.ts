import { describe, expect, it } from 'vitest';
import type { Operation } from '../../../../services/provisioning/Operation.js';
import { processOperationMessage } from '../../../../services/provisioning/processOperationMessage.js';
import { requestSandbox } from '../../../../services/provisioning/requestSandbox.js';
import { requestTeardown } from '../../../../services/provisioning/requestTeardown.js';
import { LroFailedError } from '../../../../shared/errors.js';
import { armError } from '../../../support/fakes/InMemoryResourceGroups.js';
import { WorkerKilledError } from '../../../support/fakes/InMemoryResources.js';
import {
  callerFactory,
  sandboxBodyFactory,
  TEST_SSH_KEY,
  TEST_SUBSCRIPTION,
} from '../../../support/provision/fixtures.js';
import {
  provisioningDepsFactory,
  type TestProvisioning,
} from '../../../support/provision/provisioningDepsFactory.js';

async function accepted(t: TestProvisioning, body: Record<string, unknown>) {
  const { operation } = await requestSandbox(t.deps, {
    body: sandboxBodyFactory(body),
    caller: callerFactory(),
  });
  return { operation, message: t.queue.take() };
}
async function operationOf(t: TestProvisioning, id: string): Promise<Operation> {
  return (await t.records.get<Operation>(`operations/${id}.json`))!.value;
}

describe('processOperationMessage', () => {
  const blueprintCases = [
    { blueprint: 'empty', parameters: {}, steps: ['resourceGroup'] },
    {
      blueprint: 'storage',
      parameters: {},
      steps: ['resourceGroup', 'account', 'blobService', 'container'],
    },
    {
      blueprint: 'vm',
      parameters: { sshPublicKey: TEST_SSH_KEY },
      steps: ['resourceGroup', 'vnet', 'nic', 'vm'],
    },
    { blueprint: 'webapp', parameters: {}, steps: ['resourceGroup', 'plan', 'site'] },
    { blueprint: 'mysql', parameters: {}, steps: ['resourceGroup', 'server', 'database'] },
  ];
  it.each(blueprintCases)(
    'builds the $blueprint blueprint: tagged group, every step succeeded',
    async ({ blueprint, parameters, steps }) => {
      // Prepare
      const t = provisioningDepsFactory();
      const { operation, message } = await accepted(t, {
        blueprint,
        parameters,
        tags: { team: 'data' },
      });

      // Act
      const outcome = await processOperationMessage(t.deps, message);

      // Assess
      const done = await operationOf(t, operation.id);
      expect(outcome).toBe('succeeded');
      expect(done.status).toBe('succeeded');
      expect(done.steps.map((s) => [s.name, s.state])).toEqual(steps.map((s) => [s, 'succeeded']));
      expect(t.groups.peek(TEST_SUBSCRIPTION, 'ana-sandbox-1')?.tags).toEqual({
        team: 'data',
        'managed-by': 'sandbox-automation',
        'sandbox-owner': 'oid-ana',
        'sandbox-owner-name': 'ana@contoso.com',
        'sandbox-expires-at': '2026-03-02T12:00:00.000Z',
        'sandbox-blueprint': blueprint,
        'sandbox-operation-id': operation.id,
        'created-by': 'ana@contoso.com',
        'created-at': '2026-03-01T12:00:00.000Z',
      });
      expect(t.resources.resources.size).toBe(steps.length - 1);
    },
  );

  it('skips a re-delivered message of a finished operation', async () => {
    // Prepare
    const t = provisioningDepsFactory();
    const { message } = await accepted(t, { blueprint: 'storage' });
    await processOperationMessage(t.deps, message);

    // Act
    const outcome = await processOperationMessage(t.deps, message);

    // Assess
    expect(outcome).toBe('skipped');
    expect(t.resources.creates).toHaveLength(3);
  });

  it('resumes the saved LRO after a worker died mid-operation, creating nothing twice', async () => {
    // Prepare
    const t = provisioningDepsFactory();
    const { operation, message } = await accepted(t, { blueprint: 'storage' });
    t.resources.crashAfterStart('container');
    const firstTry = await processOperationMessage(t.deps, message).catch((e: unknown) => e);
    const midway = await operationOf(t, operation.id);

    // Act
    const outcome = await processOperationMessage(t.deps, message);

    // Assess
    expect(firstTry).toBeInstanceOf(WorkerKilledError);
    expect(midway.steps.find((s) => s.name === 'container')).toMatchObject({
      state: 'running',
      resumeToken: expect.stringMatching(/^token:/),
    });
    expect(midway.lastTransientError).toMatchObject({ code: 'ECONNRESET' });
    expect(outcome).toBe('succeeded');
    expect([...t.resources.starts.values()]).toEqual([1, 1, 1]);
    expect(t.resources.creates.at(-1)).toMatchObject({
      resumeToken: expect.stringMatching(/^token:/),
    });
    expect((await operationOf(t, operation.id)).attempts).toBe(2);
  });

  it.each([
    // Running with its plan; then its success, which records the group's step too.
    { kind: 'an empty sandbox', blueprint: 'empty', writes: 2 },
    // Running with its plan, the group's step done; then for each of its three resources: running,
    // its poller saved, done; then the operation's success.
    { kind: 'a storage sandbox', blueprint: 'storage', writes: 12 },
  ])(
    'writes the operation of $kind once to start it and once to end it, besides its steps',
    async ({ blueprint, writes }) => {
      // Prepare
      const t = provisioningDepsFactory();
      const { operation, message } = await accepted(t, { blueprint });
      const written: string[] = [];
      t.records.beforeWrite = (key, kind) => {
        if (key === `operations/${operation.id}.json`) written.push(kind);
      };

      // Act
      const outcome = await processOperationMessage(t.deps, message);

      // Assess
      expect(outcome).toBe('succeeded');
      expect(written).toEqual(Array<string>(writes).fill('replace'));
      const done = await operationOf(t, operation.id);
      expect(done.steps.every((s) => s.state === 'succeeded' && s.resumeToken === undefined)).toBe(
        true,
      );
    },
  );

  it('does the last step again after a crash before the operation’s success: one group', async () => {
    // Prepare: the group is made and recorded, then the write of the operation's success fails.
    const t = provisioningDepsFactory();
    const { operation, message } = await accepted(t, { blueprint: 'empty' });
    let replaces = 0;
    t.records.beforeWrite = (key, kind) => {
      if (key === `operations/${operation.id}.json` && kind === 'replace' && ++replaces === 2) {
        throw new WorkerKilledError();
      }
    };
    const firstTry = await processOperationMessage(t.deps, message).catch((e: unknown) => e);
    const midway = await operationOf(t, operation.id);
    t.records.beforeWrite = undefined;

    // Act
    const outcome = await processOperationMessage(t.deps, message);

    // Assess
    expect(firstTry).toBeInstanceOf(WorkerKilledError);
    expect(midway).toMatchObject({ status: 'running', steps: [{ state: 'running' }] });
    expect(outcome).toBe('succeeded');
    expect(await operationOf(t, operation.id)).toMatchObject({
      status: 'succeeded',
      steps: [{ name: 'resourceGroup', state: 'succeeded' }],
    });
    expect(t.groups.calls.filter((c) => c.method === 'createOrUpdate')).toHaveLength(1);
    expect(t.groups.peek(TEST_SUBSCRIPTION, 'ana-sandbox-1')).toBeDefined();
  });

  it('writes a resource ARM made with its parent, so the blueprint’s settings apply', async () => {
    // Prepare: blobServices/default exists as soon as the account does, with ARM's defaults.
    const t = provisioningDepsFactory();
    const { message } = await accepted(t, { blueprint: 'storage' });
    const original = t.resources.createOrUpdate.bind(t.resources);
    t.resources.createOrUpdate = async (resourceId, spec, checkpoint) => {
      await original(resourceId, spec, checkpoint);
      if (spec.key === 'account') {
        t.resources.resources.set(`${resourceId}/blobServices/default`.toLowerCase(), {
          ...spec,
          body: { properties: {} },
        });
      }
    };

    // Act
    const outcome = await processOperationMessage(t.deps, message);

    // Assess
    expect(outcome).toBe('succeeded');
    const written = t.resources.creates.map((c) => c.resourceId.split('/').slice(-2).join('/'));
    expect(written).toContain('blobServices/default');
    const [, stored] = [...t.resources.resources].find(([id]) => id.endsWith('/default'))!;
    expect(stored.body).toEqual({
      properties: { deleteRetentionPolicy: { enabled: true, days: 7 } },
    });
  });

  it('sends again the create of a delivery that died before saving its poller: one resource', async () => {
    // Prepare: the create lands, then the worker dies before the poller is saved.
    const t = provisioningDepsFactory();
    const { message } = await accepted(t, { blueprint: 'storage' });
    t.resources.failNext('container', new WorkerKilledError());
    await processOperationMessage(t.deps, message).catch(() => undefined);

    // Act
    const outcome = await processOperationMessage(t.deps, message);

    // Assess: ARM's PUT is idempotent, so sending it again makes the same one container.
    expect(outcome).toBe('succeeded');
    const containers = [...t.resources.resources.keys()].filter((id) =>
      id.includes('/containers/'),
    );
    expect(containers).toHaveLength(1);
  });

  it('throws a transient failure so the queue retries, keeping the reason', async () => {
    // Prepare
    const t = provisioningDepsFactory();
    const { operation, message } = await accepted(t, { blueprint: 'empty' });
    t.groups.failNext('createOrUpdate', armError(503, 'ServiceUnavailable', 'try later'), 4);

    // Act
    const act = processOperationMessage(t.deps, message);

    // Assess
    await expect(act).rejects.toMatchObject({ code: 'ServiceUnavailable' });
    expect(await operationOf(t, operation.id)).toMatchObject({
      status: 'running',
      lastTransientError: { code: 'ServiceUnavailable', message: 'try later' },
    });
  });

  it('retries a throttled call in process, honouring Retry-After', async () => {
    // Prepare
    const t = provisioningDepsFactory();
    const waits = t.clock.delays;
    const { message } = await accepted(t, { blueprint: 'empty' });
    t.groups.failNext(
      'createOrUpdate',
      armError(429, 'TooManyRequests', 'slow down', 'transient', 7000),
      2,
    );

    // Act
    const outcome = await processOperationMessage(t.deps, message);

    // Assess
    expect(outcome).toBe('succeeded');
    expect(waits).toEqual([7000, 7000]);
  });

  it("ends the operation failed with ARM's code and message when an LRO fails for good", async () => {
    // Prepare
    const t = provisioningDepsFactory();
    const { operation, message } = await accepted(t, { blueprint: 'storage' });
    t.resources.failNext(
      'account',
      new LroFailedError('create account', {
        kind: 'permanent',
        code: 'StorageAccountAlreadyTaken',
        message: 'The name is taken.',
      }),
    );

    // Act
    const outcome = await processOperationMessage(t.deps, message);

    // Assess
    const failed = await operationOf(t, operation.id);
    expect(outcome).toBe('failed');
    expect(failed.status).toBe('failed');
    expect(failed.error).toEqual({
      code: 'StorageAccountAlreadyTaken',
      message: expect.stringContaining('The name is taken.'),
    });
    expect(failed.steps.map((s) => s.state)).toEqual(['succeeded', 'failed', 'pending', 'pending']);
  });

  it('fails, without touching it, a group another operation created', async () => {
    // Prepare
    const t = provisioningDepsFactory();
    const { operation, message } = await accepted(t, { blueprint: 'empty' });
    t.groups.seed({ name: 'ana-sandbox-1', tags: { 'sandbox-operation-id': 'someone-else' } });

    // Act
    const outcome = await processOperationMessage(t.deps, message);

    // Assess
    expect(outcome).toBe('failed');
    expect((await operationOf(t, operation.id)).error).toMatchObject({ code: 'SandboxExists' });
    expect(t.groups.peek(TEST_SUBSCRIPTION, 'ana-sandbox-1')?.tags).toEqual({
      'sandbox-operation-id': 'someone-else',
    });
  });

  it('fails a request that policy no longer allows', async () => {
    // Prepare
    const t = provisioningDepsFactory();
    const { operation, message } = await accepted(t, { blueprint: 'empty', location: 'eastus' });
    t.deps.settings.policy = { ...t.deps.settings.policy, allowedLocations: ['westeurope'] };

    // Act
    await processOperationMessage(t.deps, message);

    // Assess
    expect((await operationOf(t, operation.id)).error).toMatchObject({ code: 'PolicyViolation' });
  });

  it('fails, creating nothing, the request that would take an owner over quota after all', async () => {
    // Prepare: two requests accepted while the owner held 2 of 3, before either was built.
    const t = provisioningDepsFactory({ policy: { maxSandboxesPerOwner: 3 } });
    for (const name of ['held-1', 'held-2']) {
      const { message } = await accepted(t, { name, blueprint: 'empty' });
      await processOperationMessage(t.deps, message);
    }
    const first = await accepted(t, { name: 'race-1', blueprint: 'empty' });
    const second = await accepted(t, { name: 'race-2', blueprint: 'empty' });

    // Act
    await processOperationMessage(t.deps, first.message);
    await processOperationMessage(t.deps, second.message);

    // Assess
    expect((await operationOf(t, first.operation.id)).status).toBe('succeeded');
    expect(await operationOf(t, second.operation.id)).toMatchObject({
      status: 'failed',
      error: { code: 'PolicyViolation' },
    });
    expect(t.groups.peek(TEST_SUBSCRIPTION, 'race-2')).toBeUndefined();
  });

  it('drops a malformed message without throwing', async () => {
    // Prepare
    const t = provisioningDepsFactory();

    // Act
    const outcome = await processOperationMessage(t.deps, { operationId: '../../etc' });

    // Assess
    expect(outcome).toBe('skipped');
  });

  it('tears a sandbox down through the resource group delete', async () => {
    // Prepare
    const t = provisioningDepsFactory();
    const { message } = await accepted(t, { blueprint: 'empty' });
    await processOperationMessage(t.deps, message);
    const teardown = await requestTeardown(t.deps, {
      name: 'ana-sandbox-1',
      caller: callerFactory(),
    });

    // Act
    const outcome = await processOperationMessage(t.deps, t.queue.take());

    // Assess
    expect(outcome).toBe('succeeded');
    expect((await operationOf(t, teardown.id)).steps).toEqual([
      expect.objectContaining({ name: 'resourceGroup', state: 'succeeded' }),
    ]);
    expect(t.groups.names()).toEqual([]);
  });

  it('fails a teardown blocked by a lock with ScopeLocked', async () => {
    // Prepare
    const t = provisioningDepsFactory();
    const { message } = await accepted(t, { blueprint: 'empty' });
    await processOperationMessage(t.deps, message);
    t.groups.addLock(TEST_SUBSCRIPTION, 'ana-sandbox-1', { name: 'keep', level: 'CanNotDelete' });
    const teardown = await requestTeardown(t.deps, {
      name: 'ana-sandbox-1',
      caller: callerFactory(),
    });

    // Act
    const outcome = await processOperationMessage(t.deps, t.queue.take());

    // Assess
    expect(outcome).toBe('failed');
    expect((await operationOf(t, teardown.id)).error).toMatchObject({ code: 'ScopeLocked' });
  });

  it('writes the sandbox record once its group exists, and keeps it on a redelivery', async () => {
    // Prepare
    const t = provisioningDepsFactory();
    const { operation, message } = await accepted(t, { blueprint: 'empty' });

    // Act
    await processOperationMessage(t.deps, message);
    await processOperationMessage(t.deps, message);

    // Assess
    const keys = t.records.keys().filter((k) => k.startsWith('sandbox-records/'));
    expect(keys).toEqual([
      `sandbox-records/${TEST_SUBSCRIPTION}/ana-sandbox-1/2026-03-01T12:00:00.000Z.json`,
    ]);
    expect((await t.records.get(keys[0]!))?.value).toEqual({
      subscriptionId: TEST_SUBSCRIPTION,
      name: 'ana-sandbox-1',
      origin: 'provisioned',
      operationId: operation.id,
      owner: 'oid-ana',
      ownerName: 'ana@contoso.com',
      createdBy: 'ana@contoso.com',
      createdAt: '2026-03-01T12:00:00.000Z',
      expiresAt: '2026-03-02T12:00:00.000Z',
      status: 'active',
      updatedAt: '2026-03-01T12:00:00.000Z',
    });
  });

  it('names an application that asks by its display name and client id in created-by', async () => {
    // Prepare
    const t = provisioningDepsFactory();
    const { operation } = await requestSandbox(t.deps, {
      body: sandboxBodyFactory({ blueprint: 'empty', owner: 'oid-ana' }),
      caller: callerFactory({
        id: 'oid-pipeline',
        name: 'sandbox-pipeline',
        kind: 'application',
        appId: '5e2c0000-0000-4000-8000-000000000001',
        roles: ['Sandbox.Admin'],
      }),
    });

    // Act
    await processOperationMessage(t.deps, t.queue.take());

    // Assess
    expect(operation.createdBy).toBe('sandbox-pipeline (5e2c0000-0000-4000-8000-000000000001)');
    expect(t.groups.peek(TEST_SUBSCRIPTION, 'ana-sandbox-1')?.tags['created-by']).toBe(
      'sandbox-pipeline (5e2c0000-0000-4000-8000-000000000001)',
    );
  });
});
