import { describe, expect, it } from 'vitest';
import type { CleanupRun } from '../../../../services/cleanup/CleanupRun.js';
import { listCleanupRuns } from '../../../../services/cleanup/listCleanupRuns.js';
import { recordKeys } from '../../../../shared/records/recordKeys.js';
import { InMemoryRecordStore } from '../../../support/fakes/InMemoryRecordStore.js';

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

describe('listCleanupRuns', () => {
  it('lists the newest runs first, from their own records only', async () => {
    // Prepare
    const records = new InMemoryRecordStore();
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
    const runs = await listCleanupRuns({ records }, 2);

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
  });

  it('lists nothing before the first run', async () => {
    expect(await listCleanupRuns({ records: new InMemoryRecordStore() }, 20)).toEqual([]);
  });
});
