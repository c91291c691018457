import { describe, expect, it } from 'vitest';
import { provisionPoison } from '../../../../functions/provision/provisionPoison.js';
import { provisionWorker } from '../../../../functions/provision/provisionWorker.js';
import type { Operation } from '../../../../services/provisioning/Operation.js';
import { requestSandbox } from '../../../../services/provisioning/requestSandbox.js';
import { queueHandler } from '../../../../shared/functions/queueFunction.js';
import { armError } from '../../../support/fakes/InMemoryResourceGroups.js';
import { callerFactory, sandboxBodyFactory } from '../../../support/provision/fixtures.js';
import { invocationContextFactory } from '../../../support/provision/httpRequestFactory.js';
import { provisioningDepsFactory } from '../../../support/provision/provisioningDepsFactory.js';

describe('provisionWorker', () => {
  it('completes the message when the operation ends, even failed', async () => {
    // Prepare
    const t = provisioningDepsFactory();
    await requestSandbox(t.deps, { body: sandboxBodyFactory(), caller: callerFactory() });
    t.groups.failNext('createOrUpdate', armError(403, 'AuthorizationFailed', 'no'));

    // Act
    const act = queueHandler(provisionWorker, async () => t.platform)(
      t.queue.take(),
      invocationContextFactory(),
    );

    // Assess
    await expect(act).resolves.toBeUndefined();
  });

  it('throws on a transient failure so the queue delivers the message again', async () => {
    // Prepare
    const t = provisioningDepsFactory();
    await requestSandbox(t.deps, { body: sandboxBodyFactory(), caller: callerFactory() });
    t.groups.failNext('createOrUpdate', armError(503, 'ServiceUnavailable', 'busy'), 4);

    // Act
    const act = queueHandler(provisionWorker, async () => t.platform)(
      t.queue.take(),
      invocationContextFactory(),
    );

    // Assess
    await expect(act).rejects.toMatchObject({ code: 'ServiceUnavailable' });
  });
});

describe('provisionPoison', () => {
  it('marks the operation failed with the dequeue count from the trigger', async () => {
    // Prepare
    const t = provisioningDepsFactory();
    const { operation } = await requestSandbox(t.deps, {
      body: sandboxBodyFactory(),
      caller: callerFactory(),
    });

    // Act
    await queueHandler(provisionPoison, async () => t.platform)(
      t.queue.take(),
      invocationContextFactory({ dequeueCount: 5 }),
    );

    // Assess
    const failed = await t.records.get<Operation>(`operations/${operation.id}.json`);
    expect(failed?.value.error).toEqual({
      code: 'RetriesExhausted',
      message: 'The work item failed 5 times and was moved to provision-requests-poison.',
    });
  });
});
