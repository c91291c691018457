import { describe, expect, it } from 'vitest';
import { cleanupPoison } from '../../../../functions/cleanup/cleanupPoison.js';
import { cleanupWorker } from '../../../../functions/cleanup/cleanupWorker.js';
import { requestCleanupRun } from '../../../../services/cleanup/requestCleanupRun.js';
import { queueHandler } from '../../../../shared/functions/queueFunction.js';
import { SUB, sandboxTags } from '../../../support/cleanup/cleanupFixtures.js';
import { cleanupHarness } from '../../../support/cleanup/cleanupHarness.js';
import { armError } from '../../../support/fakes/InMemoryResourceGroups.js';
import { invocationContextFactory } from '../../../support/provision/httpRequestFactory.js';

/** An apply run over one expired sandbox, planned, with its item message waiting on the queue. */
async function plannedItem() {
  const h = cleanupHarness({ policy: { maxDeleteFraction: 1 } });
  h.platform.config.cleanup.maxDeleteFraction = 1;
  h.groups.seed({ name: 'sbx-1', tags: sandboxTags(-1) });
  const { runId } = await requestCleanupRun(
    { mode: 'apply', trigger: 'http', requestedBy: 'admin-key', subscriptions: [SUB] },
    h.ports,
  );
  await queueHandler(cleanupWorker, async () => h.platform)(
    h.requests.take(),
    invocationContextFactory({ dequeueCount: 1 }),
  );
  return { h, runId, item: h.requests.take() };
}

describe('cleanupWorker', () => {
  it('throws a transient failure back to the queue', async () => {
    // Prepare
    const { h, item } = await plannedItem();
    h.groups.failNext('delete', armError(503, 'ServiceUnavailable', 'busy'));

    // Act
    const act = queueHandler(cleanupWorker, async () => h.platform)(
      item,
      invocationContextFactory({ dequeueCount: 1 }),
    );

    // Assess
    await expect(act).rejects.toMatchObject({ code: 'ServiceUnavailable' });
  });
});

describe('cleanupPoison', () => {
  it('ends the item failed with the dequeue count the trigger reports', async () => {
    // Prepare
    const { h, runId, item } = await plannedItem();

    // Act
    await queueHandler(cleanupPoison, async () => h.platform)(
      item,
      invocationContextFactory({ dequeueCount: 5 }),
    );

    // Assess
    expect(await h.read.item(runId, 'sbx-1')).toMatchObject({
      status: 'failed',
      reason: 'poisoned',
      detail: 'Gave up after 5 deliveries; last error: unknown.',
    });
  });
});
