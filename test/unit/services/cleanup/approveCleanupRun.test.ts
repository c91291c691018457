import { describe, expect, it } from 'vitest';
import { approveCleanupRun } from '../../../../services/cleanup/approveCleanupRun.js';
import { requestCleanupRun } from '../../../../services/cleanup/requestCleanupRun.js';
import { SUB, sandboxTags } from '../../../support/cleanup/cleanupFixtures.js';
import { cleanupHarness } from '../../../support/cleanup/cleanupHarness.js';

function blockedHarness() {
  const h = cleanupHarness({ policy: { maxDeletes: 2 } });
  h.groups.seed(
    ...Array.from({ length: 3 }, (_, i) => ({ name: `sbx-old-${i}`, tags: sandboxTags(-1) })),
    ...Array.from({ length: 6 }, (_, i) => ({ name: `sbx-live-${i}`, tags: sandboxTags(100) })),
  );
  return h;
}

async function run(h: ReturnType<typeof cleanupHarness>, mode: 'apply' | 'dry-run') {
  const { runId } = await requestCleanupRun(
    { mode, trigger: 'timer', requestedBy: 'schedule', subscriptions: [SUB] },
    h.ports,
  );
  await h.drain();
  return runId;
}

describe('approveCleanupRun', () => {
  it.each([
    { description: 'a blocked run', mode: 'apply' as const },
    { description: 'a completed dry run', mode: 'dry-run' as const },
  ])('applies exactly the plan of $description', async ({ mode }) => {
    // Prepare
    const h = blockedHarness();
    const runId = await run(h, mode);
    expect(h.groups.names()).toHaveLength(9);
    h.groups.seed({ name: 'sbx-old-late', tags: sandboxTags(-1) });

    // Act
    const approved = await approveCleanupRun(
      runId,
      { id: 'oid-ana', name: 'ana@contoso.com' },
      h.ports,
    );
    await h.drain();

    // Assess
    expect(approved).toMatchObject({
      status: 'applying',
      mode: 'apply',
      approvedBy: 'ana@contoso.com',
      enqueued: 3,
    });
    expect(h.groups.names().filter((n) => n.startsWith('sbx-old'))).toEqual(['sbx-old-late']);
  });

  it('still re-checks each item of an approved plan', async () => {
    // Prepare
    const h = blockedHarness();
    const runId = await run(h, 'apply');
    await h.groups.setTags(SUB, 'sbx-old-1', sandboxTags(24));

    // Act
    await approveCleanupRun(runId, { id: 'oid-ana', name: 'ana@contoso.com' }, h.ports);
    await h.drain();

    // Assess
    expect(h.groups.names().filter((n) => n.startsWith('sbx-old'))).toEqual(['sbx-old-1']);
    expect(await h.read.item(runId, 'sbx-old-1')).toMatchObject({
      status: 'skipped',
      reason: 'tags-changed',
    });
  });

  it.each([
    {
      description: 'twice',
      prepare: (id: string, h: ReturnType<typeof cleanupHarness>) =>
        approveCleanupRun(id, { id: 'oid-a', name: 'a' }, h.ports),
      status: 'applying',
    },
    {
      description: 'a run that is applied already',
      prepare: async () => {},
      status: 'completed',
      mode: 'apply-small',
    },
  ])('refuses to approve $description', async ({ prepare, status, mode }) => {
    // Prepare
    const h =
      mode === 'apply-small'
        ? cleanupHarness({ policy: { maxDeleteFraction: 1 } })
        : blockedHarness();
    if (mode === 'apply-small') h.groups.seed({ name: 'sbx-1', tags: sandboxTags(-1) });
    const runId = await run(h, 'apply');
    await prepare(runId, h);

    // Act
    const result = approveCleanupRun(runId, { id: 'oid-bob', name: 'bob' }, h.ports);

    // Assess
    await expect(result).rejects.toThrow(
      `Cleanup run '${runId}' is ${status}; only a blocked run or a completed dry run can be approved.`,
    );
  });

  it('refuses the person who started the run (separation of duties)', async () => {
    // Prepare
    const h = blockedHarness();
    const { runId } = await requestCleanupRun(
      {
        mode: 'apply',
        trigger: 'http',
        requestedBy: 'ops@contoso.com',
        requestedById: 'oid-ops',
        subscriptions: [SUB],
      },
      h.ports,
    );
    await h.drain();

    // Act
    const result = approveCleanupRun(runId, { id: 'OID-OPS', name: 'ops@contoso.com' }, h.ports);

    // Assess
    await expect(result).rejects.toMatchObject({
      status: 403,
      code: 'SeparationOfDuties',
      message: `'ops@contoso.com' started run '${runId}'; separation of duties: someone else must approve it.`,
    });
    expect(await h.read.run(runId)).toMatchObject({ status: 'blocked' });
  });

  it('answers not found for an unknown run', async () => {
    // Prepare
    const h = cleanupHarness();

    // Act
    const result = approveCleanupRun(
      '20260101T000000Z-000000',
      { id: 'oid-bob', name: 'bob' },
      h.ports,
    );

    // Assess
    await expect(result).rejects.toMatchObject({
      name: 'CleanupRunNotFoundError',
      code: 'CleanupRunNotFound',
    });
  });
});
