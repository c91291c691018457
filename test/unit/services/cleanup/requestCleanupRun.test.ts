import { describe, expect, it } from 'vitest';
import { approveCleanupRun } from '../../../../services/cleanup/approveCleanupRun.js';
import type { CleanupRun } from '../../../../services/cleanup/CleanupRun.js';
import { CLEANUP_RUN_HOLDS_FOR } from '../../../../services/cleanup/cleanupRunClaim.js';
import {
  type CleanupRunRequest,
  requestCleanupRun,
} from '../../../../services/cleanup/requestCleanupRun.js';
import { CLEANUP_STRANDED_AFTER_MS } from '../../../../services/cleanup/resendStrandedCleanupRun.js';
import { recordKeys } from '../../../../shared/records/recordKeys.js';
import { updateRecord } from '../../../../shared/records/updateRecord.js';
import { SUB, sandboxTags } from '../../../support/cleanup/cleanupFixtures.js';
import { cleanupHarness } from '../../../support/cleanup/cleanupHarness.js';
import { armError } from '../../../support/fakes/InMemoryResourceGroups.js';

const request = (overrides: Partial<CleanupRunRequest> = {}): CleanupRunRequest => ({
  mode: 'apply',
  trigger: 'http',
  requestedBy: 'ops@contoso.com',
  requestedById: 'oid-ops',
  subscriptions: [SUB],
  ...overrides,
});

describe('requestCleanupRun', () => {
  it('queues a run and its plan message', async () => {
    // Prepare
    const h = cleanupHarness();

    // Act
    const run = await requestCleanupRun(request(), h.ports);

    // Assess
    expect(await h.read.run(run.runId)).toMatchObject({ status: 'queued' });
    expect(h.requests.peek()).toEqual([{ kind: 'plan', runId: run.runId }]);
  });

  it.each([
    { description: 'queued', settle: async () => {} },
    {
      description: 'blocked awaiting approval',
      settle: async (h: ReturnType<typeof cleanupHarness>) => {
        await h.drain();
      },
    },
    {
      description: 'applying',
      settle: async (h: ReturnType<typeof cleanupHarness>, runId: string) => {
        await h.drain();
        await approveCleanupRun(runId, { id: 'oid-carol', name: 'carol' }, h.ports);
      },
    },
  ])(
    'refuses a second run while the first is $description, naming it, and writes nothing',
    async ({ settle }) => {
      // Prepare
      const h = cleanupHarness({ policy: { maxDeletes: 1 } });
      h.groups.seed(
        { name: 'sbx-1', tags: sandboxTags(-1) },
        { name: 'sbx-2', tags: sandboxTags(-1) },
      );
      const first = await requestCleanupRun(request(), h.ports);
      await settle(h, first.runId);
      h.requests.drain();
      const keys = await listKeys(h);

      // Act
      const second = requestCleanupRun(request({ mode: 'dry-run' }), h.ports);

      // Assess
      await expect(second).rejects.toMatchObject({
        status: 409,
        code: 'CleanupRunActive',
        extensions: { runId: first.runId },
        message: `Cleanup run '${first.runId}' is still active on these subscriptions; one run at a time: follow it, or start another once it has ended.`,
      });
      expect(await listKeys(h)).toEqual(keys);
      expect(h.requests.peek()).toEqual([]);
    },
  );

  it('starts the next run once the active one has completed', async () => {
    // Prepare
    const h = cleanupHarness({ policy: { maxDeleteFraction: 1 } });
    h.groups.seed({ name: 'sbx-1', tags: sandboxTags(-1) });
    await requestCleanupRun(request(), h.ports);
    await h.drain();
    expect(h.groups.names()).toEqual([]);

    // Act
    const next = await requestCleanupRun(request(), h.ports);

    // Assess
    expect(next.status).toBe('queued');
  });

  it('starts the next run once every item of the active one has ended, its last step or not', async () => {
    // Prepare: the last item ended, but the run was not marked completed (that step never ran)
    const h = cleanupHarness({ policy: { maxDeleteFraction: 1 } });
    h.groups.seed({ name: 'sbx-1', tags: sandboxTags(-1) });
    const first = await requestCleanupRun(request(), h.ports);
    await h.drain();
    await updateRecord<CleanupRun>(h.records, recordKeys.cleanup.run(first.runId), (r) => ({
      ...r,
      status: 'applying',
      finishedAt: undefined,
    }));

    // Act
    const next = await requestCleanupRun(request(), h.ports);

    // Assess
    expect(next.status).toBe('queued');
    expect(await h.read.run(first.runId)).toMatchObject({ status: 'completed' });
  });

  it('starts the next run once the active one has failed', async () => {
    // Prepare
    const h = cleanupHarness();
    const first = await requestCleanupRun(request(), h.ports);
    h.groups.failNext('list', armError(403, 'AuthorizationFailed', 'The identity may not list.'));
    await h.drain();
    expect(await h.read.run(first.runId)).toMatchObject({ status: 'failed' });

    // Act
    const next = await requestCleanupRun(request(), h.ports);

    // Assess
    expect(next.status).toBe('queued');
  });

  it('takes over from a run that crashed before it was planned, and that run never acts', async () => {
    // Prepare: the first run's message is lost, and it waits past what planning can take
    const h = cleanupHarness({ policy: { maxDeleteFraction: 1 } });
    h.groups.seed({ name: 'sbx-1', tags: sandboxTags(-1) });
    const crashed = await requestCleanupRun(request(), h.ports);
    const lost = h.requests.drain();
    h.clock.advance(CLEANUP_RUN_HOLDS_FOR.queued);

    // Act
    const next = await requestCleanupRun(request(), h.ports);
    await h.requests.send(lost[0]!);
    await h.drain();

    // Assess
    expect(await h.read.run(next.runId)).toMatchObject({ status: 'completed' });
    expect(await h.read.run(crashed.runId)).toMatchObject({
      status: 'failed',
      error: `Superseded: run '${next.runId}' took the subscriptions over while this run waited to be planned.`,
    });
  });

  it('on the schedule, sends again the plan message of an active run that waited too long for it', async () => {
    // Prepare
    const h = cleanupHarness({ policy: { maxDeleteFraction: 1 } });
    h.groups.seed({ name: 'sbx-1', tags: sandboxTags(-1) });
    const stranded = await requestCleanupRun(request(), h.ports);
    h.requests.drain();
    h.clock.advance(CLEANUP_STRANDED_AFTER_MS);

    // Act
    const tick = requestCleanupRun(request({ trigger: 'timer', requestedBy: 'schedule' }), h.ports);

    // Assess
    await expect(tick).rejects.toMatchObject({ code: 'CleanupRunActive' });
    await h.drain();
    expect(await h.read.run(stranded.runId)).toMatchObject({ status: 'completed' });
    expect(h.groups.names()).toEqual([]);
  });

  it('lets exactly one of many requests at once start a run', async () => {
    // Prepare
    const h = cleanupHarness();

    // Act
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => requestCleanupRun(request(), h.ports)),
    );

    // Assess
    const started = results.filter((r) => r.status === 'fulfilled');
    expect(started).toHaveLength(1);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(new Set(refused.map((r) => `${r.reason.status} ${r.reason.code}`))).toEqual(
      new Set(['409 CleanupRunActive']),
    );
  });
});

async function listKeys(h: ReturnType<typeof cleanupHarness>): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of h.records.list('')) keys.push(key);
  return keys;
}
