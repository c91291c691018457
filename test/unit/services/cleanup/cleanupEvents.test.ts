import { describe, expect, it } from 'vitest';
import { requestCleanupRun } from '../../../../services/cleanup/requestCleanupRun.js';
import { SUB, sandboxTags } from '../../../support/cleanup/cleanupFixtures.js';
import { cleanupHarness } from '../../../support/cleanup/cleanupHarness.js';

const request = (mode: 'dry-run' | 'apply') =>
  ({ mode, trigger: 'http', requestedBy: 'admin-key', subscriptions: [SUB] }) as const;

describe('cleanup’s events', () => {
  it('emits cleanup.run.completed once a dry run is planned', async () => {
    // Prepare
    const h = cleanupHarness();
    h.groups.seed({ name: 'sbx-expired', tags: sandboxTags(-2) });

    // Act
    const { runId } = await requestCleanupRun(request('dry-run'), h.ports);
    await h.drain();

    // Assess
    expect(h.events('cleanup.run.completed')).toEqual([
      expect.objectContaining({
        subject: runId,
        data: expect.objectContaining({ mode: 'dry-run' }),
      }),
    ]);
  });

  it('emits cleanup.run.blocked when the breaker trips', async () => {
    // Prepare
    const h = cleanupHarness({ policy: { maxDeletes: 1 } });
    h.groups.seed(
      { name: 'sbx-a', tags: sandboxTags(-2) },
      { name: 'sbx-b', tags: sandboxTags(-2) },
    );

    // Act
    const { runId } = await requestCleanupRun(request('apply'), h.ports);
    await h.drain();

    // Assess
    expect(h.events('cleanup.run.blocked')).toEqual([
      expect.objectContaining({
        subject: runId,
        data: expect.objectContaining({ approve: `/api/cleanup/runs/${runId}/approve` }),
      }),
    ]);
    expect(h.events('cleanup.run.completed')).toEqual([]);
  });

  it('emits sandbox.deleted for each sandbox it deletes, then cleanup.run.completed with one id', async () => {
    // Prepare
    const h = cleanupHarness({ policy: { maxDeleteFraction: 1 } });
    h.groups.seed(
      { name: 'sbx-a', tags: sandboxTags(-2) },
      { name: 'sbx-b', tags: sandboxTags(-2) },
    );

    // Act
    const { runId } = await requestCleanupRun(request('apply'), h.ports);
    await h.drain();

    // Assess
    expect(h.events('sandbox.deleted').map((e) => [e.subject, e.data.by, e.data.runId])).toEqual([
      ['sbx-a', 'cleanup', runId],
      ['sbx-b', 'cleanup', runId],
    ]);
    const completed = h.events('cleanup.run.completed');
    expect(completed.length).toBeGreaterThanOrEqual(1);
    expect(new Set(completed.map((e) => e.id)).size).toBe(1);
  });
});
