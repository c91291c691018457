import pLimit from 'p-limit';
import type { RecordStore } from '../../shared/records/RecordStore.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import type { CleanupItemOutcome } from './CleanupRun.js';

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
  for await (const key of records.list(recordKeys.cleanup.itemsPrefix(runId))) keys.push(key);
  // A few reads at a time: fast for hundreds of items without flooding the storage account.
  const limit = pLimit(16);
  const read = await Promise.all(keys.map((k) => limit(() => records.get<CleanupItemOutcome>(k))));
  return read.flatMap((record) => (record ? [record.value] : []));
}
