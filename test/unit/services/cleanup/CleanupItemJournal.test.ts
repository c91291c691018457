import { describe, expect, it } from 'vitest';
import { CleanupItemJournal } from '../../../../services/cleanup/CleanupItemJournal.js';
import { tallyShardOf } from '../../../../services/cleanup/CleanupItemRecord.js';
import type { CleanupItemOutcome } from '../../../../services/cleanup/CleanupRun.js';
import { readCleanupTally } from '../../../../services/cleanup/readCleanupTally.js';
import { writeCleanupItems } from '../../../../services/cleanup/writeCleanupItems.js';
import { recordKeys } from '../../../../shared/records/recordKeys.js';
import { NOW, policyFactory, SUB } from '../../../support/cleanup/cleanupFixtures.js';
import { InMemoryTableStore } from '../../../support/fakes/InMemoryTableStore.js';

const RUN = '20260615T120000Z-aaaaaa';
const DISPATCHED = { requestedBy: 'admin-key', applied: 2 };

const planned = (name: string) => ({
  subscriptionId: SUB,
  name,
  id: `/subscriptions/${SUB}/resourceGroups/${name}`,
  action: 'delete' as const,
  reason: 'lease-expired' as const,
  detail: 'Lease ended.',
  tags: {},
  provisioningState: 'Succeeded',
  locks: [],
});

const outcome = (name: string, status: CleanupItemOutcome['status']): CleanupItemOutcome => ({
  runId: RUN,
  subscriptionId: SUB,
  name,
  action: 'delete',
  plannedReason: 'lease-expired',
  status,
  attempts: 1,
  startedAt: NOW.toISOString(),
});

/** Two group names whose rows count in the same tally shard. */
function namesSharingAShard(): [string, string] {
  const byShard = new Map<number, string>();
  for (let i = 0; ; i++) {
    const name = `sbx-${i}`;
    const shard = tallyShardOf(recordKeys.cleanupItems.item(SUB, name));
    const other = byShard.get(shard);
    if (other) return [other, name];
    byShard.set(shard, name);
  }
}

describe('CleanupItemJournal', () => {
  it('counts an item once when two deliveries finish it at the same time', async () => {
    // Prepare
    const items = new InMemoryTableStore();
    await writeCleanupItems(items, RUN, DISPATCHED, [planned('sbx-1')], policyFactory());
    const first = await CleanupItemJournal.open(items, RUN, SUB, 'sbx-1');
    const second = await CleanupItemJournal.open(items, RUN, SUB, 'sbx-1');

    // Act
    const won = await first.finish(outcome('sbx-1', 'deleted'));
    const lost = await second.finish(outcome('sbx-1', 'failed'));

    // Assess
    expect([won, lost]).toEqual([true, false]);
    expect(second.outcome?.status).toBe('deleted');
    expect(await readCleanupTally(items, RUN)).toEqual({
      terminal: 1,
      byStatus: { deleted: 1 },
    });
  });

  it('counts every item when items of one tally shard finish together', async () => {
    // Prepare
    const items = new InMemoryTableStore();
    const [a, b] = namesSharingAShard();
    await writeCleanupItems(items, RUN, DISPATCHED, [planned(a), planned(b)], policyFactory());
    const journals = await Promise.all(
      [a, b].map((name) => CleanupItemJournal.open(items, RUN, SUB, name)),
    );

    // Act
    const results = await Promise.all([
      journals[0]!.finish(outcome(a, 'deleted')),
      journals[1]!.finish(outcome(b, 'skipped')),
    ]);

    // Assess
    expect(results).toEqual([true, true]);
    expect(await readCleanupTally(items, RUN)).toEqual({
      terminal: 2,
      byStatus: { deleted: 1, skipped: 1 },
    });
  });

  it('refuses to save over a version someone else wrote since', async () => {
    // Prepare
    const items = new InMemoryTableStore();
    await writeCleanupItems(items, RUN, DISPATCHED, [planned('sbx-1')], policyFactory());
    const mine = await CleanupItemJournal.open(items, RUN, SUB, 'sbx-1');
    const theirs = await CleanupItemJournal.open(items, RUN, SUB, 'sbx-1');
    await theirs.save(outcome('sbx-1', 'in-progress'));

    // Act
    const claim = mine.save(outcome('sbx-1', 'in-progress'));

    // Assess
    await expect(claim).rejects.toMatchObject({ code: 'RecordConflict', kind: 'transient' });
  });
});

describe('writeCleanupItems', () => {
  it('writes every row once, and keeps rows already worked on when written again', async () => {
    // Prepare
    const items = new InMemoryTableStore();
    const names = Array.from({ length: 250 }, (_, i) => `sbx-${i}`);
    await writeCleanupItems(
      items,
      RUN,
      DISPATCHED,
      names.slice(0, 120).map(planned),
      policyFactory(),
    );
    const worked = await CleanupItemJournal.open(items, RUN, SUB, 'sbx-7');
    await worked.save(outcome('sbx-7', 'in-progress'));

    // Act
    await writeCleanupItems(items, RUN, DISPATCHED, names.map(planned), policyFactory());

    // Assess
    expect(items.rowKeys(RUN)).toHaveLength(250);
    const row = await CleanupItemJournal.open(items, RUN, SUB, 'sbx-7');
    expect(row.outcome?.status).toBe('in-progress');
    expect(row.value?.planned.name).toBe('sbx-7');
  });
});
