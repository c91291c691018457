import { describe, expect, it } from 'vitest';
import { failPoisonedOperation } from '../../../../services/provisioning/failPoisonedOperation.js';
import type { Operation } from '../../../../services/provisioning/Operation.js';
import { processOperationMessage } from '../../../../services/provisioning/processOperationMessage.js';
import { requestSandbox } from '../../../../services/provisioning/requestSandbox.js';
import { armError } from '../../../support/fakes/InMemoryResourceGroups.js';
import {
  callerFactory,
  sandboxBodyFactory,
  TEST_SUBSCRIPTION,
} from '../../../support/provision/fixtures.js';
import { provisioningDepsFactory } from '../../../support/provision/provisioningDepsFactory.js';

describe('failPoisonedOperation', () => {
  it('marks the operation failed with the last transient error', async () => {
    // Prepare
    const t = provisioningDepsFactory();
    const { operation } = await requestSandbox(t.deps, {
      body: sandboxBodyFactory(),
      caller: callerFactory(),
    });
    const message = t.queue.take();
    t.groups.failNext('createOrUpdate', armError(503, 'ServiceUnavailable', 'down'), 4);
    await processOperationMessage(t.deps, message).catch(() => undefined);

    // Act
    const failed = await failPoisonedOperation(t.deps, message, { dequeueCount: 5 });

    // Assess
    expect(failed).toMatchObject({
      status: 'failed',
      error: {
        code: 'RetriesExhausted',
        message:
          'The work item failed 5 times and was moved to provision-requests-poison; last error: ServiceUnavailable: down.',
      },
    });
    expect((await t.records.get<Operation>(`operations/${operation.id}.json`))?.value.status).toBe(
      'failed',
    );
  });

  it('settles the group of a provisioning poisoned half-way by the failed-sandbox policy', async () => {
    // Prepare: the group is made, then every try at the account is throttled
    const t = provisioningDepsFactory();
    await requestSandbox(t.deps, {
      body: sandboxBodyFactory({ blueprint: 'storage', ttlHours: 72 }),
      caller: callerFactory(),
    });
    const message = t.queue.take();
    t.resources.failNext('account', armError(429, 'TooManyRequests', 'slow down', 'transient'));
    await processOperationMessage(t.deps, message).catch(() => undefined);

    // Act
    const failed = await failPoisonedOperation(t.deps, message, { dequeueCount: 5 });

    // Assess
    expect(failed).toMatchObject({
      status: 'failed',
      error: { code: 'RetriesExhausted' },
      partialGroup: {
        name: 'ana-sandbox-1',
        action: 'kept',
        leaseExpiresAt: '2026-03-02T12:00:00.000Z',
      },
    });
    expect(t.groups.peek(TEST_SUBSCRIPTION, 'ana-sandbox-1')?.tags['sandbox-state']).toBe('failed');
  });

  it('leaves a finished operation as it is', async () => {
    // Prepare
    const t = provisioningDepsFactory();
    await requestSandbox(t.deps, { body: sandboxBodyFactory(), caller: callerFactory() });
    const message = t.queue.take();
    await processOperationMessage(t.deps, message);

    // Act
    const operation = await failPoisonedOperation(t.deps, message, { dequeueCount: 5 });

    // Assess
    expect(operation?.status).toBe('succeeded');
  });

  it.each([
    { description: 'a malformed message', message: 'garbage' },
    {
      description: 'a message naming no operation',
      message: { operationId: '00000000-0000-4000-8000-00000000ffff', kind: 'provision' },
    },
  ])('ignores $description', async ({ message }) => {
    // Prepare
    const t = provisioningDepsFactory();

    // Act
    const operation = await failPoisonedOperation(t.deps, message);

    // Assess
    expect(operation).toBeUndefined();
  });
});
