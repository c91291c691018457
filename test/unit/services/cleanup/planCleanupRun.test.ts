import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planCleanupRun } from '../../../../services/cleanup/planCleanupRun.js';
import { requestCleanupRun } from '../../../../services/cleanup/requestCleanupRun.js';
import {
  clockArbitrary,
  inventoryArbitrary,
  NOW,
  policyArbitrary,
  SUB,
  sandboxTags,
} from '../../../support/cleanup/cleanupFixtures.js';
import { cleanupHarness } from '../../../support/cleanup/cleanupHarness.js';
import { armError } from '../../../support/fakes/InMemoryResourceGroups.js';

const SUB2 = '00000000-0000-0000-0000-000000000002';

function seedMix(h: ReturnType<typeof cleanupHarness>) {
  h.groups.seed(
    { name: 'sbx-expired', tags: sandboxTags(-2) },
    { name: 'sbx-expiring', tags: sandboxTags(3) },
    { name: 'sbx-fresh', tags: sandboxTags(100) },
    { name: 'sbx-locked', tags: sandboxTags(-2), locks: [{ name: 'hold', level: 'CanNotDelete' }] },
    { name: 'prod-db', tags: sandboxTags(-2) },
    { name: 'team-rg', tags: {} },
    { name: 'sbx-expired-2', tags: sandboxTags(-30) },
  );
}

describe('planCleanupRun', () => {
  it.each([
    { description: 'a dry run', mode: 'dry-run' as const, status: 'completed', messages: 0 },
    { description: 'an apply run', mode: 'apply' as const, status: 'applying', messages: 2 },
  ])(
    'writes the same plan for $description and gates only the side effects',
    async ({ mode, status, messages }) => {
      // Prepare
      const h = cleanupHarness();
      seedMix(h);
      const { runId } = await requestCleanupRun(
        { mode, trigger: 'http', requestedBy: 'admin-key', subscriptions: [SUB] },
        h.ports,
      );
      h.requests.drain();

      // Act
      const run = await planCleanupRun(runId, h.policy, h.ports);

      // Assess
      const plan = await h.read.plan(runId);
      expect(run.status).toBe(status);
      expect(plan?.counts).toEqual({ delete: 2, 'delete-marked': 0, mark: 0, warn: 1, skip: 4 });
      expect(h.requests.peek()).toHaveLength(messages);
      expect(h.events('sandbox.expiring')).toHaveLength(mode === 'apply' ? 1 : 0);
      expect(h.groups.names()).toHaveLength(7);
      expect(await h.read.summary(runId)).toContain(
        mode === 'apply' ? '## Deleted (2)' : '## Would delete (2)',
      );
    },
  );

  it('blocks a run over the blast radius and sends nothing', async () => {
    // Prepare
    const h = cleanupHarness({ policy: { maxDeletes: 1 } });
    seedMix(h);
    const { runId } = await requestCleanupRun(
      { mode: 'apply', trigger: 'timer', requestedBy: 'schedule', subscriptions: [SUB] },
      h.ports,
    );
    h.requests.drain();

    // Act
    const run = await planCleanupRun(runId, h.policy, h.ports);

    // Assess
    expect(run.status).toBe('blocked');
    expect(run.blastRadius).toMatchObject({ deletes: 2, governed: 6, tripped: true });
    expect(run.blastRadius?.reasons).toEqual(['Would delete 2 groups, more than the limit of 1.']);
    expect(h.requests.peek()).toEqual([]);
    expect(h.events('sandbox.expiring')).toEqual([]);
    expect(await h.read.summary(runId)).toContain('Blocked by the blast-radius breaker');
  });

  it('plans every configured subscription', async () => {
    // Prepare
    const h = cleanupHarness();
    h.groups.seed(
      { name: 'a', tags: sandboxTags(-1) },
      { subscriptionId: SUB2, name: 'a', tags: sandboxTags(-1) },
    );
    const { runId } = await requestCleanupRun(
      { mode: 'dry-run', trigger: 'http', requestedBy: 'x', subscriptions: [SUB, SUB2] },
      h.ports,
    );

    // Act
    await planCleanupRun(runId, h.policy, h.ports);

    // Assess
    expect((await h.read.plan(runId))?.items.map((i) => [i.subscriptionId, i.name])).toEqual([
      [SUB, 'a'],
      [SUB2, 'a'],
    ]);
  });

  it('sends a lease warning once per lease end, however many runs see it', async () => {
    // Prepare
    const h = cleanupHarness();
    h.groups.seed({ name: 'sbx-expiring', tags: sandboxTags(3) });
    const request = {
      mode: 'apply' as const,
      trigger: 'timer' as const,
      requestedBy: 'schedule',
      subscriptions: [SUB],
    };

    // Act
    for (let i = 0; i < 3; i++) {
      const { runId } = await requestCleanupRun(request, h.ports);
      await planCleanupRun(runId, h.policy, h.ports);
    }

    // Assess
    expect(h.events('sandbox.expiring')).toEqual([
      expect.objectContaining({
        type: 'sandbox.expiring',
        subject: 'sbx-expiring',
        subscriptionId: SUB,
        data: expect.objectContaining({
          owner: 'ana@contoso.com',
          expiresAt: sandboxTags(3)['sandbox-expires-at'],
        }),
      }),
    ]);
  });

  it('reuses the stored plan when the message is delivered again after a crash', async () => {
    // Prepare
    const h = cleanupHarness();
    seedMix(h);
    const { runId } = await requestCleanupRun(
      { mode: 'apply', trigger: 'http', requestedBy: 'x', subscriptions: [SUB] },
      h.ports,
    );
    h.requests.drain();
    let sends = 0;
    h.requests.beforeSend = () => {
      if (sends++ === 1) throw armError(503, 'ServerBusy', 'busy');
    };
    await expect(planCleanupRun(runId, h.policy, h.ports)).rejects.toThrow('busy');
    const firstPlan = await h.read.plan(runId);
    h.requests.beforeSend = undefined;
    h.groups.seed({ name: 'sbx-new', tags: sandboxTags(-1) });
    h.clock.set(new Date(NOW.getTime() + 60_000));

    // Act
    const run = await planCleanupRun(runId, h.policy, h.ports);

    // Assess
    expect(await h.read.plan(runId)).toEqual(firstPlan);
    expect(run).toMatchObject({ status: 'applying', enqueued: 2 });
  });

  it('retries a listing that fails transiently', async () => {
    // Prepare
    const h = cleanupHarness();
    seedMix(h);
    h.groups.failNext('list', armError(429, 'TooManyRequests', 'slow down', 'transient', 10));
    const { runId } = await requestCleanupRun(
      { mode: 'dry-run', trigger: 'http', requestedBy: 'x', subscriptions: [SUB] },
      h.ports,
    );

    // Act
    const run = await planCleanupRun(runId, h.policy, h.ports);

    // Assess
    expect(run.counts?.delete).toBe(2);
  });

  it('reads the locks once per subscription, and only where a group might be acted on', async () => {
    // Prepare
    const h = cleanupHarness();
    seedMix(h);
    h.groups.seed({ subscriptionId: SUB2, name: 'team-rg', tags: {} });
    const { runId } = await requestCleanupRun(
      { mode: 'dry-run', trigger: 'http', requestedBy: 'x', subscriptions: [SUB, SUB2] },
      h.ports,
    );

    // Act
    await planCleanupRun(runId, h.policy, h.ports);

    // Assess
    const lockReads = h.groups.calls.filter((c) => c.method.startsWith('listLocks'));
    expect(lockReads).toEqual([{ method: 'listLocksInSubscription', subscriptionId: SUB }]);
    const plan = await h.read.plan(runId);
    expect(plan?.items.find((i) => i.name === 'sbx-locked')).toMatchObject({
      action: 'skip',
      reason: 'locked',
      locks: ['hold'],
    });
  });

  it('computes the same plan in a dry run and an apply run for any inventory and clock', async () => {
    await fc.assert(
      fc.asyncProperty(
        inventoryArbitrary,
        policyArbitrary,
        clockArbitrary,
        async (inventory, policy, now) => {
          // Prepare
          const plans = [];
          const applied = [];
          for (const mode of ['dry-run', 'apply'] as const) {
            const h = cleanupHarness({ policy, now });
            for (const { group, locks } of inventory) {
              h.groups.seed({
                subscriptionId: group.subscriptionId,
                name: group.name,
                tags: group.tags,
                provisioningState: group.provisioningState,
                ...(group.createdTime ? { createdTime: group.createdTime } : {}),
                locks: [...locks],
              });
            }
            const { runId } = await requestCleanupRun(
              { mode, trigger: 'http', requestedBy: 'x', subscriptions: [SUB, SUB2] },
              h.ports,
            );

            // Act
            await h.drain();

            // Assess
            plans.push(await h.read.plan(runId));
            applied.push({ h, runId });
          }
          expect(plans[1]).toEqual(plans[0]);
          // And the apply run removed exactly the planned deletions (when the breaker allowed it).
          const plan = plans[1]!;
          const { h } = applied[1]!;
          const remaining = new Set(
            [SUB, SUB2].flatMap((s) => h.groups.names(s).map((n) => `${s}/${n}`)),
          );
          for (const item of plan.items) {
            const deleted = !remaining.has(`${item.subscriptionId}/${item.name}`);
            const shouldDelete =
              !plan.blastRadius.tripped &&
              (item.action === 'delete' || item.action === 'delete-marked');
            expect(deleted).toBe(shouldDelete);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
