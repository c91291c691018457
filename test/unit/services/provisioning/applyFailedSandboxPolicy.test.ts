import { describe, expect, it } from 'vitest';
import {
  applyFailedSandboxPolicy,
  shortenedLease,
} from '../../../../services/provisioning/applyFailedSandboxPolicy.js';
import type { Operation } from '../../../../services/provisioning/Operation.js';
import { processOperationMessage } from '../../../../services/provisioning/processOperationMessage.js';
import { requestSandbox } from '../../../../services/provisioning/requestSandbox.js';
import { LroFailedError } from '../../../../shared/errors.js';
import { armError } from '../../../support/fakes/InMemoryResourceGroups.js';
import {
  callerFactory,
  sandboxBodyFactory,
  TEST_SUBSCRIPTION,
} from '../../../support/provision/fixtures.js';
import {
  provisioningDepsFactory,
  type TestProvisioning,
} from '../../../support/provision/provisioningDepsFactory.js';

const NAME = 'ana-sandbox-1';

/** A storage sandbox whose account fails for good, processed to its end. */
async function failedProvisioning(t: TestProvisioning, body: Record<string, unknown> = {}) {
  const { operation } = await requestSandbox(t.deps, {
    body: sandboxBodyFactory({ blueprint: 'storage', ttlHours: 72, ...body }),
    caller: callerFactory(),
  });
  const message = t.queue.take();
  t.resources.failNext(
    'account',
    new LroFailedError('create account', {
      kind: 'permanent',
      code: 'InternalServerError',
      message: 'an internal error was injected',
    }),
  );
  const outcome = await processOperationMessage(t.deps, message).catch((e: unknown) => e);
  return { operation, message, outcome };
}

async function operationOf(t: TestProvisioning, id: string): Promise<Operation> {
  return (await t.records.get<Operation>(`operations/${id}.json`))!.value;
}

describe('applyFailedSandboxPolicy', () => {
  it('keeps the partial group for inspection: tagged failed, its lease cut to a day', async () => {
    // Prepare
    const t = provisioningDepsFactory();

    // Act
    const { operation, outcome } = await failedProvisioning(t);

    // Assess
    const failed = await operationOf(t, operation.id);
    expect(outcome).toBe('failed');
    expect(failed).toMatchObject({
      status: 'failed',
      error: { code: 'InternalServerError' },
      partialGroup: { name: NAME, action: 'kept', leaseExpiresAt: '2026-03-02T12:00:00.000Z' },
    });
    expect(t.groups.peek(TEST_SUBSCRIPTION, NAME)?.tags).toMatchObject({
      'sandbox-state': 'failed',
      'sandbox-expires-at': '2026-03-02T12:00:00.000Z',
      'sandbox-operation-id': operation.id,
    });
  });

  it('never lengthens a lease that ends sooner than the inspection window', async () => {
    // Prepare
    const t = provisioningDepsFactory({ failedSandbox: { keepHours: 48 } });

    // Act
    const { operation } = await failedProvisioning(t, { ttlHours: 2 });

    // Assess
    expect((await operationOf(t, operation.id)).partialGroup).toEqual({
      name: NAME,
      action: 'kept',
      leaseExpiresAt: '2026-03-01T14:00:00.000Z',
    });
    expect(t.groups.peek(TEST_SUBSCRIPTION, NAME)?.tags['sandbox-expires-at']).toBe(
      '2026-03-01T14:00:00.000Z',
    );
  });

  it('queues the teardown of the partial group under FAILED_SANDBOX_POLICY=delete', async () => {
    // Prepare
    const t = provisioningDepsFactory({ failedSandbox: { policy: 'delete' } });

    // Act
    const { operation } = await failedProvisioning(t);

    // Assess
    const failed = await operationOf(t, operation.id);
    const teardownId = failed.partialGroup?.teardownOperationId;
    expect(failed.partialGroup).toEqual({
      name: NAME,
      action: 'deleting',
      teardownOperationId: expect.any(String),
    });
    expect(await operationOf(t, teardownId!)).toMatchObject({
      kind: 'teardown',
      status: 'queued',
      sandbox: NAME,
      owner: 'oid-ana',
      requestedBy: 'failed-sandbox-policy',
    });
    expect(t.queue.peek()).toEqual([{ operationId: teardownId, kind: 'teardown' }]);
    await processOperationMessage(t.deps, t.queue.take());
    expect(t.groups.peek(TEST_SUBSCRIPTION, NAME)).toBeUndefined();
  });

  it('reuses the teardown already queued when applied again', async () => {
    // Prepare
    const t = provisioningDepsFactory({ failedSandbox: { policy: 'delete' } });
    const { operation } = await failedProvisioning(t);
    const failed = await operationOf(t, operation.id);

    // Act
    const again = await applyFailedSandboxPolicy(t.deps, failed);

    // Assess
    expect(again).toEqual(failed.partialGroup);
    expect(t.queue.peek()).toHaveLength(1);
  });

  it('never touches a group of that name another request made', async () => {
    // Prepare
    const t = provisioningDepsFactory({ failedSandbox: { policy: 'delete' } });
    const { operation } = await requestSandbox(t.deps, {
      body: sandboxBodyFactory(),
      caller: callerFactory(),
    });
    const message = t.queue.take();
    t.groups.seed({ name: NAME, tags: { 'sandbox-operation-id': 'someone-else' } });

    // Act
    await processOperationMessage(t.deps, message);

    // Assess
    expect((await operationOf(t, operation.id)).partialGroup).toEqual({
      name: NAME,
      action: 'none',
    });
    expect(t.groups.peek(TEST_SUBSCRIPTION, NAME)?.tags).toEqual({
      'sandbox-operation-id': 'someone-else',
    });
    expect(t.queue.peek()).toEqual([]);
  });

  it('reports no group when the request failed before one was made, without asking ARM', async () => {
    // Prepare
    const t = provisioningDepsFactory();
    const { operation } = await requestSandbox(t.deps, {
      body: sandboxBodyFactory({ location: 'eastus' }),
      caller: callerFactory(),
    });
    t.deps.settings.policy = { ...t.deps.settings.policy, allowedLocations: ['westeurope'] };
    t.groups.failNext('get', new Error('ARM must not be asked'));

    // Act
    await processOperationMessage(t.deps, t.queue.take());

    // Assess
    expect(await operationOf(t, operation.id)).toMatchObject({
      error: { code: 'PolicyViolation' },
      partialGroup: { name: NAME, action: 'none' },
    });
  });

  it('leaves the group as it is, saying why, when ARM refuses the policy for good', async () => {
    // Prepare
    const t = provisioningDepsFactory();
    t.groups.failNext(
      'mergeTags',
      armError(403, 'AuthorizationFailed', 'The identity may not write tags.'),
    );

    // Act
    const { operation } = await failedProvisioning(t);

    // Assess
    expect((await operationOf(t, operation.id)).partialGroup).toEqual({
      name: NAME,
      action: 'left',
      detail: 'AuthorizationFailed: The identity may not write tags.',
    });
  });

  it('fails the operation at once and settles its group on the next delivery after a transient failure', async () => {
    // Prepare: tagging is throttled past the in-process retries
    const t = provisioningDepsFactory();
    t.groups.failNext('mergeTags', armError(503, 'ServiceUnavailable', 'try later'), 4);
    const { operation, message, outcome } = await failedProvisioning(t);
    const first = await operationOf(t, operation.id);

    // Act
    const redelivered = await processOperationMessage(t.deps, message);

    // Assess
    expect(outcome).toMatchObject({ code: 'ServiceUnavailable' });
    expect(first).toMatchObject({ status: 'failed', error: { code: 'InternalServerError' } });
    expect(first.partialGroup).toBeUndefined();
    expect(redelivered).toBe('failed');
    expect((await operationOf(t, operation.id)).partialGroup).toMatchObject({ action: 'kept' });
  });
});

describe('shortenedLease', () => {
  const now = new Date('2026-01-01T00:00:00.000Z');
  it.each([
    { current: '2026-01-09T00:00:00.000Z', expected: '2026-01-02T00:00:00.000Z' },
    { current: '2026-01-01T06:00:00.000Z', expected: '2026-01-01T06:00:00.000Z' },
    { current: 'soon', expected: '2026-01-02T00:00:00.000Z' },
    { current: undefined, expected: '2026-01-02T00:00:00.000Z' },
  ])('cuts $current to $expected', ({ current, expected }) => {
    expect(shortenedLease(current, now, 24)).toBe(expected);
  });
});
