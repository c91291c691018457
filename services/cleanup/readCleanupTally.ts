import { recordKeys } from '../../shared/records/recordKeys.js';
import type { TableStore } from '../../shared/tables/TableStore.js';
import type { CleanupTally } from './CleanupItemRecord.js';
import type { CleanupItemStatus } from './CleanupRun.js';

/** A run's terminal outcomes, counted: one read of at most `TALLY_SHARDS` rows, whatever N. */
export interface CleanupTallyTotals {
  terminal: number;
  byStatus: Partial<Record<CleanupItemStatus, number>>;
}

/**
 * Sums the shards of a run's tally.
 *
 * @example
 * const { terminal } = await readCleanupTally(items, runId);
 */
export async function readCleanupTally(
  items: TableStore,
  runId: string,
): Promise<CleanupTallyTotals> {
  const byStatus: Partial<Record<CleanupItemStatus, number>> = {};
  let terminal = 0;
  for await (const row of items.list<CleanupTally>(
    runId,
    recordKeys.cleanupItems.talliesPrefix(),
  )) {
    for (const [status, count] of Object.entries(row.value.counts)) {
      byStatus[status as CleanupItemStatus] = (byStatus[status as CleanupItemStatus] ?? 0) + count;
      terminal += count;
    }
  }
  return { terminal, byStatus };
}
