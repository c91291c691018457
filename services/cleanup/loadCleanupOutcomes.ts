import pLimit from 'p-limit';
import type { RecordStore } from '../../shared/records/RecordStore.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import type { TableStore } from '../../shared/tables/TableStore.js';
import type { CleanupItemRecord } from './CleanupItemRecord.js';
import type { CleanupItemOutcome } from './CleanupRun.js';

/**
 * Every item outcome recorded for a run so far, from the run's rows (one query, a thousand rows a
 * page). For people and the run's final summary, never per item. A run applied before items moved
 * to the table has no rows: its outcomes are read from their blobs.
 *
 * @example
 * const outcomes = await loadCleanupOutcomes({ items, records }, runId);
 */
export async function loadCleanupOutcomes(
  ports: { items: TableStore; records: RecordStore },
  runId: string,
): Promise<CleanupItemOutcome[]> {
  const outcomes: CleanupItemOutcome[] = [];
  let rows = 0;
  for await (const row of ports.items.list<CleanupItemRecord>(
    runId,
    recordKeys.cleanupItems.itemsPrefix(),
  )) {
    rows += 1;
    if (row.value.outcome) outcomes.push(row.value.outcome);
  }
  return rows > 0 ? outcomes : loadBlobOutcomes(ports.records, runId);
}

async function loadBlobOutcomes(
  records: RecordStore,
  runId: string,
): Promise<CleanupItemOutcome[]> {
  const keys: string[] = [];
  for await (const key of records.list(recordKeys.cleanup.itemsPrefix(runId))) keys.push(key);
  const limit = pLimit(16);
  const read = await Promise.all(keys.map((k) => limit(() => records.get<CleanupItemOutcome>(k))));
  return read.flatMap((record) => (record ? [record.value] : []));
}
