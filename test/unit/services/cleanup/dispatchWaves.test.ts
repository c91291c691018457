/**
 * An applied run's items go on the queue in waves, a bounded number ahead of the workers
 * (`dispatchNextCleanupItems`): what a wave sends, what a stale wave's message does, and that a
 * crash anywhere in a wave loses no item and deletes nothing twice.
 */
import { describe, expect, it } from 'vitest';
import type { CleanupMessage } from '../../../../services/cleanup/CleanupMessage.js';
import type { CleanupRun } from '../../../../services/cleanup/CleanupRun.js';
import { WAVE_INTERVAL_SECONDS } from '../../../../services/cleanup/dispatchCleanupPlan.js';
import { handleCleanupMessage } from '../../../../services/cleanup/handleCleanupMessage.js';
import { planCleanupRun } from '../../../../services/cleanup/planCleanupRun.js';
import { readCleanupTally } from '../../../../services/cleanup/readCleanupTally.js';
import { isStrandedCleanupRun } from '../../../../services/cleanup/resendStrandedCleanupRun.js';
import { recordKeys } from '../../../../shared/records/recordKeys.js';
import { NOW, SUB } from '../../../support/cleanup/cleanupFixtures.js';
import { cleanupHarness } from '../../../support/cleanup/cleanupHarness.js';
import { armError } from '../../../support/fakes/InMemoryResourceGroups.js';

const QUEUE_AHEAD = 10;

/** A run over `n` expired sandboxes, requested and planned: its first wave is on the queue. */
async function plannedRun(n: number) {
  const h = cleanupHarness({
    policy: { maxDeletes: 100_000, maxDeleteFraction: 1 },
    queueAhead: QUEUE_AHEAD,
  });
  const runId = await h.requestApplyRunOverExpired(n);
  h.requests.drain();
  await planCleanupRun(runId, h.policy, h.ports, { queueAhead: QUEUE_AHEAD });
  return { h, runId };
}

type Harness = Awaited<ReturnType<typeof plannedRun>>['h'];

/** Takes every pending message off the queue: the items and the wave messages apart. */
function takeAll(h: Harness) {
  const messages = h.requests.drain();
  return {
    items: messages.filter((m) => m.kind === 'item'),
    waves: messages.filter(
      (m): m is Extract<CleanupMessage, { kind: 'plan' }> => m.kind === 'plan',
    ),
  };
}

const deliver = (h: Harness, message: CleanupMessage) =>
  handleCleanupMessage(message, h.policy, h.ports, { queueAhead: QUEUE_AHEAD });

const deletesByGroup = (h: Harness) => {
  const counts = new Map<string, number>();
  for (const call of h.groups.calls) {
    if (call.method === 'delete') counts.set(call.name!, (counts.get(call.name!) ?? 0) + 1);
  }
  return counts;
};

describe('dispatching an applied run in waves', () => {
  it('puts at most its queue-ahead of items on the queue, and the rest as items end', async () => {
    // Prepare
    const { h, runId } = await plannedRun(25);
    const first = h.requests.peek();
    let sent = first.filter((m) => m.kind === 'item').length;
    let mostUnfinished = sent;
    h.requests.beforeSend = async (message) => {
      if (message.kind !== 'item') return;
      sent += 1;
      const { terminal } = await readCleanupTally(h.ports.items, runId);
      mostUnfinished = Math.max(mostUnfinished, sent - terminal);
    };

    // Act
    await h.drain();

    // Assess: the first wave was the queue-ahead, with one message for the next wave...
    expect(first.filter((m) => m.kind === 'item')).toHaveLength(QUEUE_AHEAD);
    expect(h.requests.sent.find((s) => s.message.kind === 'plan' && s.message.wave)).toMatchObject({
      message: { kind: 'plan', runId, wave: expect.any(String) },
      visibilityTimeoutSeconds: WAVE_INTERVAL_SECONDS,
    });
    // ...never more than that many items were unfinished, and each was sent once and deleted.
    expect(mostUnfinished).toBeLessThanOrEqual(QUEUE_AHEAD);
    const items = h.requests.sent.map((s) => s.message).filter((m) => m.kind === 'item');
    expect(items).toHaveLength(25);
    expect(new Set(items.map((m) => m.group)).size).toBe(25);
    expect(h.groups.names()).toEqual([]);
    expect(await h.read.run(runId)).toMatchObject({
      status: 'completed',
      enqueued: 25,
      dispatch: { sent: 25 },
      outcomes: { deleted: 25 },
    });
    // Nothing is left on the queue: the last wave sent no message for another.
    expect(h.requests.peek()).toEqual([]);
  });

  it('sends no item while its queue-ahead is unfinished, and as many as have ended after', async () => {
    // Prepare
    const { h } = await plannedRun(25);
    const first = takeAll(h);

    // Act: the next wave comes while none of the first has been worked on...
    await deliver(h, first.waves[0]!);
    const idle = takeAll(h);
    // ...then four items end, and the wave after comes.
    for (const item of first.items.slice(0, 4)) await deliver(h, item);
    await deliver(h, idle.waves[0]!);
    const refill = takeAll(h);

    // Assess
    expect(first.items).toHaveLength(QUEUE_AHEAD);
    expect(idle.items).toEqual([]);
    expect(idle.waves).toHaveLength(1);
    expect(idle.waves[0]!.wave).not.toBe(first.waves[0]!.wave);
    expect(refill.items.map((m) => m.group)).toEqual([
      'sbx-00010',
      'sbx-00011',
      'sbx-00012',
      'sbx-00013',
    ]);
    expect(refill.waves).toHaveLength(1);
  });

  it('does nothing for a wave’s message delivered again once the wave is recorded', async () => {
    // Prepare
    const { h, runId } = await plannedRun(25);
    const first = takeAll(h);
    for (const item of first.items) await deliver(h, item);
    await deliver(h, first.waves[0]!);
    const second = takeAll(h);
    const before = await h.read.run(runId);

    // Act
    await deliver(h, first.waves[0]!);

    // Assess
    expect(second.items).toHaveLength(QUEUE_AHEAD);
    expect(h.requests.peek()).toEqual([]);
    expect(await h.read.run(runId)).toEqual(before);
  });

  it('lets a message sent for a run that looked stranded take the waves over, once', async () => {
    // Prepare
    const { h, runId } = await plannedRun(25);
    const first = takeAll(h);
    for (const item of first.items) await deliver(h, item);

    // Act: the resent message (no wave) goes first; the wave's own message comes after it.
    await deliver(h, { kind: 'plan', runId });
    const resent = takeAll(h);
    await deliver(h, first.waves[0]!);
    const stale = takeAll(h);

    // Assess
    expect(resent.items).toHaveLength(QUEUE_AHEAD);
    expect(resent.waves).toHaveLength(1);
    expect(stale).toEqual({ items: [], waves: [] });
    expect((await h.read.run(runId))?.dispatch?.wave).toBe(resent.waves[0]!.wave);
  });

  it.each([
    { step: 'sending a wave’s items', fault: 'item' as const },
    { step: 'sending the next wave’s message', fault: 'wave' as const },
    { step: 'recording the wave', fault: 'record' as const },
  ])('loses no item and deletes nothing twice through a failure while $step', async ({ fault }) => {
    // Prepare: every third wave fails once at the step, transiently (the queue delivers it again).
    const { h, runId } = await plannedRun(45);
    let waves = 0;
    const failEveryThird = () => {
      waves += 1;
      if (waves % 3 === 0) throw armError(503, 'ServerBusy', 'storage is busy');
    };
    h.requests.beforeSend = (message) => {
      if (fault === 'item' && message.kind === 'item' && message.group.endsWith('5')) {
        failEveryThird();
      }
      if (fault === 'wave' && message.kind === 'plan') failEveryThird();
    };
    h.records.beforeWrite = (key, kind) => {
      if (fault === 'record' && key === recordKeys.cleanup.run(runId) && kind === 'replace') {
        failEveryThird();
      }
    };

    // Act
    const poisoned = await h.drain();

    // Assess
    expect(waves).toBeGreaterThanOrEqual(3);
    expect(poisoned).toEqual([]);
    expect(h.groups.names()).toEqual([]);
    expect([...deletesByGroup(h).values()].every((n) => n === 1)).toBe(true);
    expect(deletesByGroup(h).size).toBe(45);
    expect(await h.read.run(runId)).toMatchObject({
      status: 'completed',
      enqueued: 45,
      outcomes: { deleted: 45 },
    });
  });

  it('counts a run as stranded only once its waves have stopped for a while', () => {
    // Prepare
    const run: CleanupRun = {
      runId: '20260615T100000Z-abcdef',
      mode: 'apply',
      trigger: 'http',
      requestedBy: 'admin-key',
      status: 'applying',
      subscriptions: [SUB],
      requestedAt: '2026-06-15T10:00:00.000Z',
      plannedAt: '2026-06-15T10:00:05.000Z',
      dispatch: { sent: 500, wave: 'w', at: '2026-06-15T11:59:00.000Z' },
    };

    // Act
    const waving = isStrandedCleanupRun(run, NOW);
    const stopped = isStrandedCleanupRun(run, new Date(NOW.getTime() + 2 * 60_000));

    // Assess
    expect(waving).toBe(false);
    expect(stopped).toBe(true);
  });
});
