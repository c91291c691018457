import pLimit from 'p-limit';
import { RecordConflictError } from '../../shared/errors.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import { MAX_TRANSACTION_ACTIONS, type TableStore } from '../../shared/tables/TableStore.js';
import type { CleanupItemRecord, DispatchedRun } from './CleanupItemRecord.js';
import type { CleanupPolicy } from './CleanupPolicy.js';
import type { PlanItem } from './planCleanup.js';

/** Transactions in flight at once while writing a run's rows. */
const CONCURRENCY = 8;

/**
 * Writes the row of every applied item of a run (the plan's entry, no outcome yet), a hundred per
 * transaction. Safe to run again: a row that exists (written before a crash, perhaps already
 * worked on) is kept as it is.
 *
 * @example
 * await writeCleanupItems(items, runId, { requestedBy, applied: 12 }, applied, plan.policy);
 */
export async function writeCleanupItems(
  items: TableStore,
  runId: string,
  run: DispatchedRun,
  planned: readonly PlanItem[],
  policy: CleanupPolicy,
): Promise<void> {
  const rows = planned.map((item) => ({
    kind: 'create' as const,
    rowKey: recordKeys.cleanupItems.item(item.subscriptionId, item.name),
    value: { run, planned: item, policy } satisfies CleanupItemRecord,
  }));
  const limit = pLimit(CONCURRENCY);
  const chunks: (typeof rows)[] = [];
  for (let i = 0; i < rows.length; i += MAX_TRANSACTION_ACTIONS) {
    chunks.push(rows.slice(i, i + MAX_TRANSACTION_ACTIONS));
  }
  await Promise.all(
    chunks.map((chunk) =>
      limit(async () => {
        try {
          await items.transact(runId, chunk);
        } catch (error) {
          if (!(error instanceof RecordConflictError)) throw error;
          // Some rows exist already: write the others one by one.
          for (const row of chunk) {
            await items.transact(runId, [row]).catch((e: unknown) => {
              if (!(e instanceof RecordConflictError)) throw e;
            });
          }
        }
      }),
    ),
  );
}
