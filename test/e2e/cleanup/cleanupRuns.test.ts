import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  acceptedDeletes,
  addLock,
  groupExists,
  leaseTags,
  outcomesByGroup,
  seedGroups,
  startRun,
  waitForRun,
} from '../../support/cleanup/cleanupE2e.js';
import { STACK_AUTOMATION, type Stack, startStack } from '../../support/stack.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    settings: {
      CLEANUP_MAX_DELETES: '5',
      CLEANUP_MAX_DELETE_FRACTION: '1',
      CLEANUP_PROTECTED_PATTERNS: 'prod-*',
    },
    verbose: process.env.CLEANUP_E2E_VERBOSE === '1',
  });
});

afterAll(async () => {
  await stack?.stop();
});

beforeEach(async () => {
  await stack.arm.control.reset();
  await stack.arm.control.setFaults({});
});

describe('scheduled cleanup, end to end', () => {
  it('plans a dry run that changes nothing, then an apply run removes exactly the expired sandboxes', async () => {
    // Prepare
    await seedGroups(stack, [
      { name: 'sbx-old-1', tags: leaseTags(-2) },
      { name: 'sbx-old-2', tags: leaseTags(-48) },
      { name: 'sbx-old-3', tags: leaseTags(-0.1) },
      { name: 'sbx-soon', tags: leaseTags(3) },
      { name: 'sbx-fresh', tags: leaseTags(100) },
      { name: 'sbx-locked', tags: leaseTags(-2), lock: 'CanNotDelete' },
      {
        name: 'sbx-exempt',
        tags: leaseTags(-2, {
          'cleanup-exempt-until': new Date(Date.now() + 86_400_000).toISOString(),
        }),
      },
      {
        name: 'sbx-was-exempt',
        tags: leaseTags(-2, {
          'cleanup-exempt-until': new Date(Date.now() - 60_000).toISOString(),
        }),
      },
      { name: 'prod-core', tags: leaseTags(-2) },
      { name: 'team-shared', tags: { owner: 'data' } },
      { name: 'other-app', tags: { ...leaseTags(-2), 'managed-by': 'someone-else' } },
    ]);
    const doomed = ['sbx-old-1', 'sbx-old-2', 'sbx-old-3', 'sbx-was-exempt'];

    // Act: dry run
    const dryRunId = await startRun(stack, { dryRun: true });
    const dry = await waitForRun(stack, dryRunId);

    // Assess
    expect(dry).toMatchObject({
      mode: 'dry-run',
      status: 'completed',
      counts: { delete: 4, warn: 1, skip: 6 },
    });
    expect(doomed.every((name) => groupExists(stack, name))).toBe(true);
    const markdown = await (
      await stack.fetch(`/api/cleanup/runs/${dryRunId}?format=markdown`)
    ).text();
    expect(markdown).toContain('## Would delete (4)');
    expect(markdown).toContain('## Expires soon (1)');
    expect(markdown).toContain('- **locked** (1):');

    // Act: apply
    const applyId = await startRun(stack, { dryRun: false });
    const applied = await waitForRun(stack, applyId);

    // Assess
    const planOf = (view: typeof dry) =>
      view.items.map((i: { name: string; action: string; reason: string }) => [
        i.name,
        i.action,
        i.reason,
      ]);
    expect(planOf(applied)).toEqual(planOf(dry));
    expect(applied).toMatchObject({ mode: 'apply', status: 'completed', outcomes: { deleted: 4 } });
    const left = [
      'sbx-soon',
      'sbx-fresh',
      'sbx-locked',
      'sbx-exempt',
      'prod-core',
      'team-shared',
      'other-app',
    ];
    expect(doomed.filter((name) => groupExists(stack, name))).toEqual([]);
    expect(left.filter((name) => !groupExists(stack, name))).toEqual([]);
    expect([...(await acceptedDeletes(stack)).entries()].sort()).toEqual(
      doomed.map((n) => [n, 1]).sort(),
    );
    const latest = await (await stack.fetch('/api/cleanup/runs/latest')).json();
    expect(latest).toMatchObject({
      runId: applyId,
      timings: { requestedAt: expect.any(String), finishedAt: expect.any(String) },
    });
  });

  // Each case has groups of its own: the app may check locks against a listing up to two seconds
  // old, which could still show the previous case's lock.
  it.each([
    {
      description: 'a lock added after planning',
      kept: 'sbx-lock-a',
      other: 'sbx-lock-b',
      // Only the lock is added: the group and its tags stay as planned.
      change: () => addLock(stack, 'sbx-lock-a', 'CanNotDelete'),
      outcome: { status: 'skipped', reason: 'locked' },
    },
    {
      description: 'a lease extended after planning',
      kept: 'sbx-lease-a',
      other: 'sbx-lease-b',
      change: () => seedGroups(stack, [{ name: 'sbx-lease-a', tags: leaseTags(72) }]),
      outcome: { status: 'skipped', reason: 'tags-changed' },
    },
  ])('respects $description', async ({ kept, other, change, outcome }) => {
    // Prepare
    await seedGroups(stack, [
      { name: kept, tags: leaseTags(-1) },
      { name: other, tags: leaseTags(-1) },
    ]);
    const runId = await startRun(stack, { dryRun: true });
    await waitForRun(stack, runId);
    await change();

    // Act: another admin approves the reviewed dry-run plan
    const approval = await stack.fetch(`/api/cleanup/runs/${runId}/approve`, {
      method: 'POST',
      as: 'ops@contoso.com',
    });
    const view = await waitForRun(stack, runId);

    // Assess
    expect(approval.status).toBe(202);
    expect(groupExists(stack, kept)).toBe(true);
    expect(groupExists(stack, other)).toBe(false);
    const item = view.items.find((i: { name: string }) => i.name === kept);
    expect(item.outcome).toMatchObject(outcome);
    expect((await acceptedDeletes(stack)).get(kept)).toBeUndefined();
  });

  it('ends every item in a terminal state through a 429 storm and 5xx faults, deleting nothing twice', async () => {
    // Prepare
    const names = Array.from({ length: 5 }, (_, i) => `sbx-storm-${i}`);
    await seedGroups(
      stack,
      names.map((name) => ({ name, tags: leaseTags(-1) })),
    );
    await stack.arm.control.setFaults({
      seed: 11,
      status429Rate: 0.25,
      status503Rate: 0.1,
      status500Rate: 0.1,
    });

    // Act
    const runId = await startRun(stack, { dryRun: false });
    const view = await waitForRun(stack, runId, 40_000);
    await stack.arm.control.setFaults({});

    // Assess
    const stats = await stack.arm.control.stats();
    expect(stats.faultsInjected).toBeGreaterThan(0);
    expect(view.status).toBe('completed');
    const outcomes = outcomesByGroup(view);
    expect(Object.keys(outcomes).sort()).toEqual(names);
    for (const name of names) {
      expect(['deleted', 'already-gone', 'failed']).toContain(outcomes[name]);
      expect(groupExists(stack, name)).toBe(outcomes[name] === 'failed');
    }
    for (const [, count] of await acceptedDeletes(stack)) expect(count).toBe(1);
  });

  it('blocks a run over the blast radius, and an admin approval applies exactly that plan', async () => {
    // Prepare
    const names = Array.from({ length: 7 }, (_, i) => `sbx-many-${i}`);
    await seedGroups(
      stack,
      names.map((name) => ({ name, tags: leaseTags(-1) })),
    );

    // Act
    const runId = await startRun(stack, { dryRun: false });
    const blocked = await waitForRun(stack, runId);

    // Assess
    expect(blocked).toMatchObject({
      status: 'blocked',
      blastRadius: { deletes: 7, governed: 7, maxDeletes: 5, tripped: true },
    });
    expect(names.every((name) => groupExists(stack, name))).toBe(true);

    // Act: a plain user, the admin pipeline that started it, then an approver, approve it
    const approve = (as: string) =>
      stack.fetch(`/api/cleanup/principal/runs/${runId}/approve`, { method: 'POST', as });
    const refused = await approve('eve@contoso.com');
    const starter = await approve(STACK_AUTOMATION);
    const accepted = await approve('carol@contoso.com');
    const view = await waitForRun(stack, runId);

    // Assess
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ status: 403, code: 'MissingAppRole' });
    expect(starter.status).toBe(403);
    expect(await starter.json()).toMatchObject({ status: 403, code: 'SeparationOfDuties' });
    expect(accepted.status).toBe(202);
    expect(view).toMatchObject({
      status: 'completed',
      approvedBy: 'carol@contoso.com',
      outcomes: { deleted: 7 },
    });
    expect(names.filter((name) => groupExists(stack, name))).toEqual([]);
  });

  it('accepts one of six approvals sent at once and answers each of the other five 409', async () => {
    // Prepare
    const names = Array.from({ length: 7 }, (_, i) => `sbx-race-${i}`);
    await seedGroups(
      stack,
      names.map((name) => ({ name, tags: leaseTags(-1) })),
    );
    const runId = await startRun(stack, { dryRun: false });
    expect(await waitForRun(stack, runId)).toMatchObject({ status: 'blocked' });
    const approvers = ['carol@contoso.com', 'ops@contoso.com'];

    // Act
    const answers = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const response = await stack.fetch(`/api/cleanup/runs/${runId}/approve`, {
          method: 'POST',
          as: approvers[i % 2]!,
        });
        return { status: response.status, body: await response.json() };
      }),
    );
    const view = await waitForRun(stack, runId);

    // Assess
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409, 409, 409, 409, 409]);
    for (const refused of answers.filter((a) => a.status === 409)) {
      expect(refused.body).toMatchObject({ status: 409, code: 'CleanupRunNotApprovable' });
    }
    expect(view).toMatchObject({ status: 'completed', outcomes: { deleted: 7 } });
    expect([...(await acceptedDeletes(stack)).values()]).toEqual(names.map(() => 1));
  });

  it('runs one cleanup at a time: another request is 409 with the active run, until it ends', async () => {
    // Prepare: a run the breaker blocks stays active until it is approved
    await seedGroups(
      stack,
      Array.from({ length: 6 }, (_, i) => ({ name: `sbx-one-${i}`, tags: leaseTags(-1) })),
    );
    const active = await startRun(stack, { dryRun: false });
    expect(await waitForRun(stack, active)).toMatchObject({ status: 'blocked' });

    // Act
    const again = await stack.fetch('/api/cleanup/principal/runs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"dryRun":true}',
    });
    await stack.fetch(`/api/cleanup/runs/${active}/approve`, {
      method: 'POST',
      as: 'carol@contoso.com',
    });
    await waitForRun(stack, active);
    const next = await startRun(stack, { dryRun: true });

    // Assess
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toBe('application/problem+json');
    expect(await again.json()).toMatchObject({
      status: 409,
      code: 'CleanupRunActive',
      runId: active,
      detail: `Cleanup run '${active}' is still active on these subscriptions; one run at a time: follow it, or start another once it has ended.`,
    });
    expect(next).not.toBe(active);
    expect(await waitForRun(stack, next)).toMatchObject({ status: 'completed', mode: 'dry-run' });
  });

  it('starts runs only for admins, and on the schedule through the admin API', async () => {
    // Act
    const masterKeyAlone = await stack.fetch('/api/cleanup/runs', {
      method: 'POST',
      key: 'master',
      as: 'nobody',
      body: '{}',
    });
    const plainUser = await stack.fetch('/api/cleanup/runs', {
      method: 'POST',
      as: 'ana@contoso.com',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const badBody = await stack.fetch('/api/cleanup/runs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"dryrun":false}',
    });
    const notJson = await stack.fetch('/api/cleanup/runs', {
      method: 'POST',
      body: '{"dryRun":false}',
    });
    const timer = await stack.fetch('/admin/functions/cleanupTimer', {
      method: 'POST',
      key: 'master',
      headers: { 'content-type': 'application/json' },
      body: '{"input":""}',
    });
    await stack.waitForLog(/Executed 'Functions.cleanupTimer' \(Succeeded/);
    const latest = await (await stack.fetch('/api/cleanup/runs/latest')).json();

    // Assess
    expect(masterKeyAlone.status).toBe(401);
    expect(plainUser.status).toBe(403);
    expect(badBody.status).toBe(400);
    expect(notJson.status).toBe(415);
    expect(timer.status).toBe(202);
    expect(latest).toMatchObject({ trigger: 'timer', mode: 'dry-run', requestedBy: 'schedule' });
  });
});
