import { describe, expect, it } from 'vitest';
import {
  applyCleanupItem,
  DELETE_BUDGET_MS,
} from '../../../../services/cleanup/applyCleanupItem.js';
import type { CleanupPolicy } from '../../../../services/cleanup/CleanupPolicy.js';
import { requestCleanupRun } from '../../../../services/cleanup/requestCleanupRun.js';
import {
  DAY,
  HOUR,
  inHours,
  NOW,
  SUB,
  sandboxTags,
} from '../../../support/cleanup/cleanupFixtures.js';
import { cleanupHarness } from '../../../support/cleanup/cleanupHarness.js';
import { armError } from '../../../support/fakes/InMemoryResourceGroups.js';

type Harness = ReturnType<typeof cleanupHarness>;

// One or two groups are all of the governed groups: lift the share limit so the breaker allows them.
const harness = (policy: Partial<CleanupPolicy> = {}) =>
  cleanupHarness({ policy: { maxDeleteFraction: 1, ...policy } });

/** Plans an apply run over what is seeded and leaves its item messages on the queue. */
async function planned(h: Harness): Promise<string> {
  const { runId } = await requestCleanupRun(
    { mode: 'apply', trigger: 'http', requestedBy: 'admin-key', subscriptions: [SUB] },
    h.ports,
  );
  const plan = h.requests.take();
  if (plan?.kind !== 'plan') throw new Error('expected the plan message');
  const { handleCleanupMessage } = await import(
    '../../../../services/cleanup/handleCleanupMessage.js'
  );
  await handleCleanupMessage(plan, h.policy, h.ports);
  return runId;
}

const item = (runId: string, group: string) => ({
  kind: 'item' as const,
  runId,
  subscriptionId: SUB,
  group,
});
const deletes = (h: Harness, name: string) =>
  h.groups.calls.filter((c) => c.method === 'delete' && c.name === name).length;

describe('applyCleanupItem', () => {
  it('deletes an expired sandbox that has not changed, and audits before and after', async () => {
    // Prepare
    const h = harness();
    h.groups.seed({ name: 'sbx-1', tags: sandboxTags(-1) });
    const runId = await planned(h);

    // Act
    const outcome = await applyCleanupItem(item(runId, 'sbx-1'), h.ports);

    // Assess
    expect(outcome).toMatchObject({ status: 'deleted', action: 'delete', attempts: 1 });
    expect(h.groups.names()).toEqual([]);
    expect((await h.read.audit()).map((a) => a.event).sort()).toEqual([
      'delete-started',
      'deleted',
    ]);
  });

  it.each([
    {
      description: 'a lock added after planning',
      change: (h: Harness) =>
        h.groups.addLock(SUB, 'sbx-1', { name: 'late', level: 'CanNotDelete' }),
      expected: { status: 'skipped', reason: 'locked' },
    },
    {
      description: 'a lease extended after planning',
      change: (h: Harness) => h.groups.setTags(SUB, 'sbx-1', sandboxTags(48)),
      expected: { status: 'skipped', reason: 'tags-changed' },
    },
    {
      description: 'an exemption added after planning',
      change: (h: Harness) =>
        h.groups.setTags(
          SUB,
          'sbx-1',
          sandboxTags(-1, { 'cleanup-exempt-until': inHours(24 * 30) }),
        ),
      expected: { status: 'skipped', reason: 'tags-changed' },
    },
    {
      description: 'a delete started by someone else',
      change: (h: Harness) => h.groups.setProvisioningState(SUB, 'sbx-1', 'Deleting'),
      expected: { status: 'skipped', reason: 'state-changed' },
    },
  ])('skips, and records why, after $description', async ({ change, expected }) => {
    // Prepare
    const h = harness();
    h.groups.seed({ name: 'sbx-1', tags: sandboxTags(-1) });
    const runId = await planned(h);
    await change(h);

    // Act
    const outcome = await applyCleanupItem(item(runId, 'sbx-1'), h.ports);

    // Assess
    expect(outcome).toMatchObject(expected);
    expect(h.groups.peek(SUB, 'sbx-1')).toBeDefined();
    expect(deletes(h, 'sbx-1')).toBe(0);
  });

  it.each([
    {
      description: 'a protected pattern added',
      change: { protectedPatterns: ['sbx-*'] },
      reason: 'protected-name',
    },
    {
      description: 'the orphan policy switched off',
      change: { orphans: 'off' as const },
      reason: 'orphans-off',
    },
  ])('skips when the settings changed since the plan: $description', async ({ change, reason }) => {
    // Prepare
    const h = harness({ orphans: 'mark' });
    h.groups.seed(
      { name: 'sbx-1', tags: sandboxTags(-1) },
      { name: 'sbx-old', tags: { 'cleanup-delete-after': inHours(-1) } },
    );
    const runId = await planned(h);
    Object.assign(h.policy, change);

    // Act
    await h.drain();

    // Assess
    const outcomes = [await h.read.item(runId, 'sbx-1'), await h.read.item(runId, 'sbx-old')];
    const skipped = outcomes.filter((o) => o?.status === 'skipped');
    expect(skipped.map((o) => o?.reason)).toContain(reason);
    expect(skipped[0]?.detail).toMatch(/^Under the current settings: /);
  });

  it('counts a group that is already gone as done', async () => {
    // Prepare
    const h = harness();
    h.groups.seed({ name: 'sbx-1', tags: sandboxTags(-1) });
    const runId = await planned(h);
    await h.groups.delete(SUB, 'sbx-1');

    // Act
    const outcome = await applyCleanupItem(item(runId, 'sbx-1'), h.ports);

    // Assess
    expect(outcome.status).toBe('already-gone');
  });

  it('skips when a lock lands between the re-check and the delete (ScopeLocked)', async () => {
    // Prepare
    const h = harness();
    h.groups.seed({ name: 'sbx-1', tags: sandboxTags(-1) });
    const runId = await planned(h);
    h.groups.failNext('delete', armError(409, 'ScopeLocked', 'The scope is locked.'));

    // Act
    const outcome = await applyCleanupItem(item(runId, 'sbx-1'), h.ports);

    // Assess
    expect(outcome).toMatchObject({ status: 'skipped', reason: 'locked' });
    expect((await h.read.audit()).map((a) => a.event).sort()).toEqual([
      'delete-failed',
      'delete-started',
    ]);
  });

  it('records a permanent failure instead of throwing it', async () => {
    // Prepare
    const h = harness();
    h.groups.seed({ name: 'sbx-1', tags: sandboxTags(-1) });
    const runId = await planned(h);
    h.groups.failNext(
      'delete',
      armError(403, 'AuthorizationFailed', 'The client has no permission.'),
    );

    // Act
    const outcome = await applyCleanupItem(item(runId, 'sbx-1'), h.ports);

    // Assess
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: 'AuthorizationFailed',
      detail: 'The client has no permission.',
    });
  });

  it('rethrows a transient failure with the error recorded, then resumes without a second DELETE', async () => {
    // Prepare
    const h = harness();
    h.groups.seed({ name: 'sbx-1', tags: sandboxTags(-1) });
    const runId = await planned(h);
    h.groups.failNext('delete', armError(503, 'ServiceUnavailable', 'try later'));

    // Act
    await expect(applyCleanupItem(item(runId, 'sbx-1'), h.ports)).rejects.toThrow('try later');
    const during = await h.read.item(runId, 'sbx-1');
    const outcome = await applyCleanupItem(item(runId, 'sbx-1'), h.ports);

    // Assess
    expect(during).toMatchObject({
      status: 'in-progress',
      lastError: 'ServiceUnavailable: try later',
    });
    expect(outcome).toMatchObject({ status: 'deleted', attempts: 2 });
    expect(h.groups.names()).toEqual([]);
  });

  it('waits for a delete it started that ARM still reports running, instead of sending another', async () => {
    // Prepare
    const h = harness();
    h.groups.seed({ name: 'sbx-1', tags: sandboxTags(-1) });
    const runId = await planned(h);
    await h.writeOutcome(runId, 'sbx-1', {
      runId,
      subscriptionId: SUB,
      name: 'sbx-1',
      action: 'delete',
      status: 'in-progress',
      attempts: 1,
      startedAt: NOW.toISOString(),
      deleteStartedAt: NOW.toISOString(),
    });
    h.groups.setProvisioningState(SUB, 'sbx-1', 'Deleting');

    // Act
    const first = applyCleanupItem(item(runId, 'sbx-1'), h.ports);

    // Assess
    await expect(first).rejects.toMatchObject({
      name: 'CleanupDeleteInProgressError',
      kind: 'transient',
    });
    expect(deletes(h, 'sbx-1')).toBe(0);
  });

  it('hands a long delete over to a later delivery instead of outlasting the invocation', async () => {
    // Prepare
    const h = harness();
    h.groups.seed({ name: 'sbx-1', tags: sandboxTags(-1) });
    const runId = await planned(h);
    const realDelete = h.groups.delete.bind(h.groups);
    const tokens: Array<string | undefined> = [];
    h.groups.delete = async (sub, name, checkpoint = {}) => {
      tokens.push(checkpoint.resumeToken);
      if (checkpoint.resumeToken) return realDelete(sub, name, checkpoint);
      await checkpoint.saveResumeToken?.('token-1');
      const polling = new Promise<never>((_, reject) =>
        checkpoint.signal?.addEventListener('abort', () => reject(new Error('cancelled'))),
      );
      // ARM still reports the delete running when this delivery's budget is spent.
      h.clock.advance(DELETE_BUDGET_MS);
      return polling;
    };

    // Act
    const first = await applyCleanupItem(item(runId, 'sbx-1'), h.ports);
    const handedOver = h.requests.take();
    const second = await applyCleanupItem(handedOver as ReturnType<typeof item>, h.ports);

    // Assess
    expect(first).toMatchObject({
      status: 'in-progress',
      continuations: 1,
      resumeToken: 'token-1',
    });
    expect(handedOver).toEqual(item(runId, 'sbx-1'));
    expect(h.requests.sent.at(-1)?.visibilityTimeoutSeconds).toBe(30);
    expect(second).toMatchObject({ status: 'deleted', attempts: 2 });
    expect(tokens).toEqual([undefined, 'token-1']);
  });

  it('hands a delete ARM still runs over to a delivery after its Retry-After, and finishes it from the token', async () => {
    // Prepare
    const h = harness();
    h.groups.deleteDurationMs = 20_000;
    h.groups.seed({ name: 'sbx-1', tags: sandboxTags(-1) });
    const runId = await planned(h);
    h.requests.drain();

    // Act
    const first = await applyCleanupItem(item(runId, 'sbx-1'), h.ports);
    const handedOver = h.requests.takeSent();
    const during = h.groups.peek(SUB, 'sbx-1');
    h.clock.advance(20_000);
    const second = await applyCleanupItem(handedOver!.message as ReturnType<typeof item>, h.ports);

    // Assess
    expect(first).toMatchObject({ status: 'in-progress', attempts: 1 });
    expect(first.resumeToken).toBeDefined();
    expect(handedOver).toEqual({ message: item(runId, 'sbx-1'), visibilityTimeoutSeconds: 20 });
    expect(during?.provisioningState).toBe('Deleting');
    expect(second).toMatchObject({ status: 'deleted', attempts: 2 });
    expect(h.groups.names()).toEqual([]);
    expect((await h.read.audit()).map((a) => a.event).sort()).toEqual([
      'delete-started',
      'deleted',
    ]);
    expect(await h.read.run(runId)).toMatchObject({
      status: 'completed',
      outcomes: { deleted: 1 },
    });
  });

  it('looks again later when delivered before the delete has ended, without deleting again', async () => {
    // Prepare
    const h = harness();
    h.groups.deleteDurationMs = 20_000;
    h.groups.seed({ name: 'sbx-1', tags: sandboxTags(-1) });
    const runId = await planned(h);
    h.requests.drain();
    await applyCleanupItem(item(runId, 'sbx-1'), h.ports);
    h.clock.advance(5_000);

    // Act
    const early = await applyCleanupItem(item(runId, 'sbx-1'), h.ports);

    // Assess
    expect(early).toMatchObject({ status: 'in-progress', attempts: 2 });
    expect(h.requests.sent.at(-1)?.visibilityTimeoutSeconds).toBe(15);
    expect(h.groups.peek(SUB, 'sbx-1')?.provisioningState).toBe('Deleting');
    expect((await h.read.audit()).map((a) => a.event)).toEqual(['delete-started']);
  });

  it('resumes polling from a saved token', async () => {
    // Prepare
    const h = harness();
    h.groups.seed({ name: 'sbx-1', tags: sandboxTags(-1) });
    const runId = await planned(h);
    await h.writeOutcome(runId, 'sbx-1', {
      runId,
      subscriptionId: SUB,
      name: 'sbx-1',
      action: 'delete',
      status: 'in-progress',
      attempts: 1,
      startedAt: NOW.toISOString(),
      deleteStartedAt: NOW.toISOString(),
      resumeToken: 'token-1',
    });

    // Act
    const outcome = await applyCleanupItem(item(runId, 'sbx-1'), h.ports);

    // Assess
    expect(outcome.status).toBe('deleted');
    expect(h.groups.calls.filter((c) => c.method === 'get')).toEqual([]);
  });

  it('leaves a terminal item alone when its message is delivered again', async () => {
    // Prepare
    const h = harness();
    h.groups.seed({ name: 'sbx-1', tags: sandboxTags(-1) });
    const runId = await planned(h);
    await applyCleanupItem(item(runId, 'sbx-1'), h.ports);
    const calls = h.groups.calls.length;

    // Act
    const again = await applyCleanupItem(item(runId, 'sbx-1'), h.ports);

    // Assess
    expect(again).toMatchObject({ status: 'deleted', attempts: 1 });
    expect(h.groups.calls.length).toBe(calls);
  });

  it('refuses a message for a group the plan does not act on', async () => {
    // Prepare
    const h = harness();
    h.groups.seed(
      { name: 'sbx-1', tags: sandboxTags(-1) },
      { name: 'keep', tags: sandboxTags(100) },
    );
    const runId = await planned(h);

    // Act
    const result = applyCleanupItem(item(runId, 'keep'), h.ports);

    // Assess
    await expect(result).rejects.toThrow(
      `Run '${runId}' has no planned action for 'keep' in subscription '${SUB}'.`,
    );
    expect(h.groups.peek(SUB, 'keep')).toBeDefined();
  });

  it('marks an orphan with a deletion date after the grace period', async () => {
    // Prepare
    const h = harness({ orphans: 'mark', graceDays: 7 });
    h.groups.seed({ name: 'old', tags: { team: 'x' }, createdTime: inHours(-24 * 60) });
    const runId = await planned(h);
    h.clock.set(new Date(NOW.getTime() + HOUR));

    // Act
    const outcome = await applyCleanupItem(item(runId, 'old'), h.ports);

    // Assess
    const deleteAfter = new Date(NOW.getTime() + HOUR + 7 * DAY).toISOString();
    expect(outcome).toMatchObject({ status: 'marked' });
    expect(h.groups.peek(SUB, 'old')?.tags).toEqual({
      team: 'x',
      'cleanup-delete-after': deleteAfter,
    });
    expect((await h.read.audit()).map((a) => a.event)).toEqual(['marked']);
  });

  it('keeps an exemption someone adds between the re-check and the mark', async () => {
    // Prepare
    const h = harness({ orphans: 'mark', graceDays: 7 });
    h.groups.seed({ name: 'old', tags: { team: 'x' }, createdTime: inHours(-24 * 60) });
    const runId = await planned(h);
    const merge = h.groups.mergeTags.bind(h.groups);
    h.groups.mergeTags = async (sub, name, tags) => {
      const now = await h.groups.get(sub, name);
      await h.groups.setTags(sub, name, { ...now?.tags, 'cleanup-exempt-until': inHours(24 * 30) });
      return merge(sub, name, tags);
    };

    // Act
    await applyCleanupItem(item(runId, 'old'), h.ports);

    // Assess
    expect(h.groups.peek(SUB, 'old')?.tags).toMatchObject({
      team: 'x',
      'cleanup-exempt-until': inHours(24 * 30),
    });
  });

  it('rewrites the summary with every outcome once the last item is done', async () => {
    // Prepare
    const h = harness();
    h.groups.seed(
      { name: 'sbx-1', tags: sandboxTags(-1) },
      { name: 'sbx-2', tags: sandboxTags(-1) },
    );
    const runId = await planned(h);
    await h.groups.setTags(SUB, 'sbx-2', sandboxTags(50));

    // Act
    await h.drain();

    // Assess
    const summary = await h.read.summary(runId);
    expect(summary).toContain('Status: **completed**');
    expect(summary).toContain('`sbx-1` (00000000-0000-0000-0000-000000000001): Lease ended at');
    expect(summary).toContain('→ **deleted**');
    expect(summary).toContain("→ **skipped: Tag 'sandbox-expires-at' changed from");
  });

  it('ends poisoned items as failed with the last error', async () => {
    // Prepare
    const h = harness();
    h.groups.seed({ name: 'sbx-1', tags: sandboxTags(-1) });
    const runId = await planned(h);
    h.groups.failNext('delete', armError(500, 'InternalServerError', 'boom'), 5);

    // Act
    const poisoned = await h.drain();

    // Assess
    expect(poisoned).toHaveLength(1);
    expect(await h.read.item(runId, 'sbx-1')).toMatchObject({
      status: 'failed',
      reason: 'poisoned',
      detail: 'Gave up after 5 deliveries; last error: InternalServerError: boom.',
    });
    expect(h.groups.peek(SUB, 'sbx-1')).toBeDefined();
  });
});
