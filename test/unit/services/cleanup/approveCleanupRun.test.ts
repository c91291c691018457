import { describe, expect, it } from 'vitest';
import { approveCleanupRun } from '../../../../services/cleanup/approveCleanupRun.js';
import { getCleanupRun } from '../../../../services/cleanup/getCleanupRun.js';
import { requestCleanupRun } from '../../../../services/cleanup/requestCleanupRun.js';
import { CLEANUP_STRANDED_AFTER_MS } from '../../../../services/cleanup/resendStrandedCleanupRun.js';
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
    });
    expect(await h.read.run(runId)).toMatchObject({ status: 'completed', enqueued: 3 });
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

  it('accepts one of six approvals at once and refuses the other five with 409', async () => {
    // Prepare
    const h = blockedHarness();
    const runId = await run(h, 'apply');
    const approvers = Array.from({ length: 6 }, (_, i) => ({ id: `oid-${i}`, name: `admin-${i}` }));

    // Act
    const results = await Promise.allSettled(
      approvers.map((approver) => approveCleanupRun(runId, approver, h.ports)),
    );
    await h.drain();

    // Assess
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused.map((r) => [r.reason.status, r.reason.code])).toEqual(
      Array.from({ length: 5 }, () => [409, 'CleanupRunNotApprovable']),
    );
    const items = h.requests.sent.filter((m) => m.message.kind === 'item');
    expect(items).toHaveLength(3);
    expect(await h.read.run(runId)).toMatchObject({
      status: 'completed',
      outcomes: { deleted: 3 },
    });
  });

  it('refuses an approval that comes while the approved run is still being dispatched', async () => {
    // Prepare: approved, its plan message not yet taken by a worker
    const h = blockedHarness();
    const runId = await run(h, 'apply');
    await approveCleanupRun(runId, { id: 'oid-a', name: 'a' }, h.ports);

    // Act
    const again = approveCleanupRun(runId, { id: 'oid-b', name: 'b' }, h.ports);

    // Assess
    await expect(again).rejects.toMatchObject({
      status: 409,
      code: 'CleanupRunNotApprovable',
      message: `Cleanup run '${runId}' is applying; only a blocked run or a completed dry run can be approved.`,
    });
    expect(h.requests.peek()).toEqual([{ kind: 'plan', runId }]);
  });

  it('refuses to approve a dry run while another run is active, naming that run', async () => {
    // Prepare
    const h = blockedHarness();
    const dryRunId = await run(h, 'dry-run');
    const { runId: active } = await requestCleanupRun(
      { mode: 'apply', trigger: 'timer', requestedBy: 'schedule', subscriptions: [SUB] },
      h.ports,
    );

    // Act
    const result = approveCleanupRun(dryRunId, { id: 'oid-bob', name: 'bob' }, h.ports);

    // Assess
    await expect(result).rejects.toMatchObject({
      status: 409,
      code: 'CleanupRunActive',
      extensions: { runId: active },
    });
    expect(await h.read.run(dryRunId)).toMatchObject({ status: 'completed', mode: 'dry-run' });
  });

  it('approves an approved run whose plan message never left only once; the next look re-sends it', async () => {
    // Prepare
    const h = blockedHarness();
    const runId = await run(h, 'apply');
    h.requests.beforeSend = () => {
      throw new Error('queue unavailable');
    };

    // Act
    const approved = await approveCleanupRun(runId, { id: 'oid-a', name: 'a' }, h.ports);
    h.requests.beforeSend = undefined;
    h.clock.advance(CLEANUP_STRANDED_AFTER_MS);
    const view = await getCleanupRun(runId, h.ports);
    await h.drain();

    // Assess
    expect(approved.status).toBe('applying');
    expect(view.status).toBe('applying');
    expect(await h.read.run(runId)).toMatchObject({
      status: 'completed',
      outcomes: { deleted: 3 },
    });
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
