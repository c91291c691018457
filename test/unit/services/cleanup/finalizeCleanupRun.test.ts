import { describe, expect, it } from 'vitest';
import { applyCleanupItem } from '../../../../services/cleanup/applyCleanupItem.js';
import { finalizeCleanupRun } from '../../../../services/cleanup/finalizeCleanupRun.js';
import { handleCleanupMessage } from '../../../../services/cleanup/handleCleanupMessage.js';
import { requestCleanupRun } from '../../../../services/cleanup/requestCleanupRun.js';
import { HOUR, NOW, SUB, sandboxTags } from '../../../support/cleanup/cleanupFixtures.js';
import { cleanupHarness } from '../../../support/cleanup/cleanupHarness.js';

async function appliedRun(names: string[]) {
  const h = cleanupHarness({ policy: { maxDeleteFraction: 1 } });
  h.groups.seed(...names.map((name) => ({ name, tags: sandboxTags(-1) })));
  const { runId } = await requestCleanupRun(
    { mode: 'apply', trigger: 'http', requestedBy: 'admin-key', subscriptions: [SUB] },
    h.ports,
  );
  await handleCleanupMessage(h.requests.take(), h.policy, h.ports);
  const messages = h.requests.drain();
  return { h, runId, messages };
}

describe('finalizeCleanupRun', () => {
  it('completes a run when its last item ends, and not before', async () => {
    // Prepare
    const { h, runId, messages } = await appliedRun(['sbx-1', 'sbx-2', 'sbx-3']);
    await h.groups.setTags(SUB, 'sbx-3', sandboxTags(48));
    const statuses: Array<string | undefined> = [];

    // Act
    for (const [i, message] of messages.entries()) {
      h.clock.advance(HOUR * (i + 1));
      await applyCleanupItem(message as Parameters<typeof applyCleanupItem>[0], h.ports);
      statuses.push((await h.read.run(runId))?.status);
    }

    // Assess
    expect(statuses).toEqual(['applying', 'applying', 'completed']);
    expect(await h.read.run(runId)).toMatchObject({
      status: 'completed',
      enqueued: 3,
      outcomes: { deleted: 2, skipped: 1 },
      finishedAt: new Date(NOW.getTime() + 6 * HOUR).toISOString(),
    });
    expect(await h.read.summary(runId)).toContain('Status: **completed**');
  });

  it('completes a run whose last item ended just before a crash, on that item’s redelivery', async () => {
    // Prepare
    const { h, runId, messages } = await appliedRun(['sbx-1']);
    const runKey = `cleanup/runs/${runId}/run.json`;
    h.records.beforeWrite = (key) => {
      if (key === runKey) throw new Error('the worker died');
    };
    await applyCleanupItem(messages[0] as Parameters<typeof applyCleanupItem>[0], h.ports).catch(
      () => undefined,
    );
    const before = await h.read.run(runId);
    h.records.beforeWrite = undefined;

    // Act
    const again = await applyCleanupItem(
      messages[0] as Parameters<typeof applyCleanupItem>[0],
      h.ports,
    );

    // Assess
    expect(before?.status).toBe('applying');
    expect(again.status).toBe('deleted');
    expect(await h.read.run(runId)).toMatchObject({
      status: 'completed',
      outcomes: { deleted: 1 },
    });
  });

  it('changes nothing for a run that is complete, or still has items to go', async () => {
    // Prepare
    const { h, runId } = await appliedRun(['sbx-1']);

    // Act
    const early = await finalizeCleanupRun(runId, h.ports);
    await h.drain();
    const done = await h.read.run(runId);
    const again = await finalizeCleanupRun(runId, h.ports);

    // Assess
    expect(early?.status).toBe('applying');
    expect(again).toEqual(done);
  });

  it('completes at once a run with nothing to delete or mark', async () => {
    // Prepare
    const h = cleanupHarness();
    h.groups.seed({ name: 'sbx-soon', tags: sandboxTags(3) });
    const { runId } = await requestCleanupRun(
      { mode: 'apply', trigger: 'timer', requestedBy: 'schedule', subscriptions: [SUB] },
      h.ports,
    );

    // Act
    await h.drain();

    // Assess
    expect(await h.read.run(runId)).toMatchObject({
      status: 'completed',
      enqueued: 0,
      outcomes: {},
      finishedAt: NOW.toISOString(),
    });
    // The lease warning, then the run's end.
    expect(
      h.notifications.peek().map((m) => (m as { event: { type: string } }).event.type),
    ).toEqual(['sandbox.expiring', 'cleanup.run.completed']);
  });
});
