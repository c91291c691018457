import { describe, expect, it } from 'vitest';
import { getCleanupRun } from '../../../../services/cleanup/getCleanupRun.js';
import { requestCleanupRun } from '../../../../services/cleanup/requestCleanupRun.js';
import { NOW, SUB, sandboxTags } from '../../../support/cleanup/cleanupFixtures.js';
import { cleanupHarness } from '../../../support/cleanup/cleanupHarness.js';

describe('getCleanupRun', () => {
  it('shows mode, status, counts, each item with reason and outcome, and timings', async () => {
    // Prepare
    const h = cleanupHarness({ policy: { maxDeleteFraction: 1 } });
    h.groups.seed(
      { name: 'sbx-1', tags: sandboxTags(-1) },
      { name: 'sbx-2', tags: sandboxTags(-1), locks: [{ name: 'keep', level: 'ReadOnly' }] },
      { name: 'sbx-3', tags: sandboxTags(200) },
    );
    const { runId } = await requestCleanupRun(
      { mode: 'apply', trigger: 'http', requestedBy: 'admin-key', subscriptions: [SUB] },
      h.ports,
    );
    await h.drain();

    // Act
    const view = await getCleanupRun('latest', h.ports);

    // Assess
    expect(view).toMatchObject({
      runId,
      mode: 'apply',
      status: 'completed',
      counts: { delete: 1, skip: 2 },
      outcomes: { deleted: 1 },
      timings: { requestedAt: NOW.toISOString(), finishedAt: NOW.toISOString(), durationMs: 0 },
    });
    expect(view.items).toEqual([
      expect.objectContaining({
        name: 'sbx-1',
        action: 'delete',
        reason: 'lease-expired',
        outcome: expect.objectContaining({ status: 'deleted' }),
      }),
      expect.objectContaining({ name: 'sbx-2', action: 'skip', reason: 'locked' }),
      expect.objectContaining({ name: 'sbx-3', action: 'skip', reason: 'not-expired' }),
    ]);
  });

  it('shows queued items of a run that is still applying', async () => {
    // Prepare
    const h = cleanupHarness({ policy: { maxDeleteFraction: 1 } });
    h.groups.seed({ name: 'sbx-1', tags: sandboxTags(-1) });
    const { runId } = await requestCleanupRun(
      { mode: 'apply', trigger: 'http', requestedBy: 'admin-key', subscriptions: [SUB] },
      h.ports,
    );
    const plan = h.requests.take();
    const { handleCleanupMessage } = await import(
      '../../../../services/cleanup/handleCleanupMessage.js'
    );
    await handleCleanupMessage(plan!, h.policy, h.ports);

    // Act
    const view = await getCleanupRun(runId, h.ports);

    // Assess
    expect(view).toMatchObject({ status: 'applying', outcomes: { queued: 1 } });
  });

  it.each([
    { description: 'an unknown id', id: '20260101T000000Z-000000' },
    { description: 'a malformed id', id: '../../operations/x' },
    { description: 'latest before any run', id: 'latest' },
  ])('answers not found for $description', async ({ id }) => {
    // Prepare
    const h = cleanupHarness();

    // Act
    const result = getCleanupRun(id, h.ports);

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'CleanupRunNotFoundError' });
  });
});
