import type { RecordStore } from '../../shared/records/RecordStore.js';
import type { CleanupItemOutcome } from './CleanupRun.js';
import { cleanupRecordKeys } from './cleanupRecordKeys.js';

/**
 * Every item outcome recorded for a run so far, read from the items' own records.
 *
 * @example
 * const outcomes = await loadCleanupOutcomes(records, runId);
 */
export async function loadCleanupOutcomes(
  records: RecordStore,
  runId: string,
): Promise<CleanupItemOutcome[]> {
  const keys: string[] = [];
  for await (const key of records.list(cleanupRecordKeys.itemsPrefix(runId))) keys.push(key);
  const outcomes: CleanupItemOutcome[] = [];
  // A few reads at a time: fast for hundreds of items without flooding the storage account.
  for (let i = 0; i < keys.length; i += 16) {
    const batch = await Promise.all(
      keys.slice(i, i + 16).map((k) => records.get<CleanupItemOutcome>(k)),
    );
    for (const record of batch) if (record) outcomes.push(record.value);
  }
  return outcomes;
}
