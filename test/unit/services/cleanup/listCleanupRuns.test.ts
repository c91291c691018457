import { describe, expect, it } from 'vitest';
import type { CleanupTally } from '../../../../services/cleanup/CleanupItemRecord.js';
import type { CleanupRun } from '../../../../services/cleanup/CleanupRun.js';
import { listCleanupRuns } from '../../../../services/cleanup/listCleanupRuns.js';
import { recordKeys } from '../../../../shared/records/recordKeys.js';
import { InMemoryRecordStore } from '../../../support/fakes/InMemoryRecordStore.js';
import { InMemoryTableStore } from '../../../support/fakes/InMemoryTableStore.js';

const run = (runId: string, overrides: Partial<CleanupRun> = {}): CleanupRun => ({
  runId,
  mode: 'dry-run',
  trigger: 'http',
  requestedBy: 'ops@contoso.com',
  status: 'completed',
  subscriptions: ['sub-1'],
  requestedAt: '2026-01-15T09:00:00.000Z',
  ...overrides,
});

const counts = (deletes: number) => ({
  delete: deletes,
  warn: 0,
  mark: 0,
  'delete-marked': 0,
  skip: 1,
});

async function tally(items: InMemoryTableStore, runId: string, shard: number, t: CleanupTally) {
  await items.transact(runId, [
    { kind: 'create', rowKey: recordKeys.cleanupItems.tally(shard), value: t },
  ]);
}

describe('listCleanupRuns', () => {
  it('orders runs of the same second by when they were requested, whatever their ids', async () => {
    // Prepare: ids of one second, whose random ends sort against the order they were made in
    const records = new InMemoryRecordStore();
    const items = new InMemoryTableStore();
    const made = [
      ['20260115T090000Z-ffffff', '2026-01-15T09:00:00.100Z'],
      ['20260115T090000Z-000000', '2026-01-15T09:00:00.700Z'],
      ['20260114T090000Z-999999', '2026-01-14T09:00:00.000Z'],
    ] as const;
    for (const [id, requestedAt] of made) {
      await records.put(recordKeys.cleanup.run(id), run(id, { requestedAt }));
    }

    // Act
    const runs = await listCleanupRuns({ records, items }, 1);

    // Assess
    expect(runs.map((r) => r.runId)).toEqual(['20260115T090000Z-000000']);
  });

  it('lists the newest runs first, from their own records only', async () => {
    // Prepare
    const records = new InMemoryRecordStore();
    const items = new InMemoryTableStore();
    for (const id of [
      '20260113T090000Z-aaaaaa',
      '20260115T090000Z-cccccc',
      '20260114T090000Z-bbbbbb',
    ]) {
      await records.put(recordKeys.cleanup.run(id), run(id));
      await records.put(recordKeys.cleanup.item(id, 'sub-1', 'g'), {});
    }
    await records.put(recordKeys.cleanup.latest(), { runId: '20260115T090000Z-cccccc' });

    // Act
    const runs = await listCleanupRuns({ records, items }, 2);

    // Assess
    expect(runs.map((r) => r.runId)).toEqual([
      '20260115T090000Z-cccccc',
      '20260114T090000Z-bbbbbb',
    ]);
    expect(runs[0]).toEqual({
      runId: '20260115T090000Z-cccccc',
      mode: 'dry-run',
      status: 'completed',
      trigger: 'http',
      requestedBy: 'ops@contoso.com',
      requestedAt: '2026-01-15T09:00:00.000Z',
    });
    expect(items.operations.list).toBe(0);
  });

  it('shows a completed apply run with the outcomes and end its record keeps', async () => {
    // Prepare
    const records = new InMemoryRecordStore();
    const items = new InMemoryTableStore();
    const id = '20260115T090000Z-cccccc';
    await records.put(
      recordKeys.cleanup.run(id),
      run(id, {
        mode: 'apply',
        counts: counts(2),
        enqueued: 2,
        finishedAt: '2026-01-15T09:03:00.000Z',
        outcomes: { deleted: 1, 'already-gone': 1 },
      }),
    );

    // Act
    const [listed] = await listCleanupRuns({ records, items }, 20);

    // Assess
    expect(listed).toMatchObject({
      status: 'completed',
      enqueued: 2,
      finishedAt: '2026-01-15T09:03:00.000Z',
      outcomes: { deleted: 1, 'already-gone': 1 },
    });
    expect(items.operations.list).toBe(0);
  });

  it('counts an applying run’s outcomes so far from its tally', async () => {
    // Prepare
    const records = new InMemoryRecordStore();
    const items = new InMemoryTableStore();
    const id = '20260115T090000Z-cccccc';
    await records.put(
      recordKeys.cleanup.run(id),
      run(id, { mode: 'apply', status: 'applying', counts: counts(3), enqueued: 3 }),
    );
    await tally(items, id, 1, { counts: { deleted: 1 } });
    await tally(items, id, 9, { counts: { deleted: 1 } });

    // Act
    const [listed] = await listCleanupRuns({ records, items }, 20);

    // Assess
    expect(listed).toMatchObject({ status: 'applying', outcomes: { deleted: 2 } });
  });

  it('reads a run whose every item ended as completed, before its last step marks it so', async () => {
    // Prepare
    const records = new InMemoryRecordStore();
    const items = new InMemoryTableStore();
    const id = '20260115T090000Z-cccccc';
    await records.put(
      recordKeys.cleanup.run(id),
      run(id, { mode: 'apply', status: 'applying', counts: counts(2), enqueued: 2 }),
    );
    await tally(items, id, 3, { counts: { deleted: 1, failed: 1 } });

    // Act
    const [listed] = await listCleanupRuns({ records, items }, 20);

    // Assess
    expect(listed).toMatchObject({ status: 'completed', outcomes: { deleted: 1, failed: 1 } });
  });

  it('lists nothing before the first run', async () => {
    expect(
      await listCleanupRuns(
        { records: new InMemoryRecordStore(), items: new InMemoryTableStore() },
        20,
      ),
    ).toEqual([]);
  });
});
