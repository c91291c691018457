import { RecordConflictError } from '../../shared/errors.js';
import { CleanupRunNotApprovableError, CleanupRunNotFoundError } from './CleanupError.js';
import type { CleanupPorts } from './CleanupPorts.js';
import type { CleanupRun } from './CleanupRun.js';
import { cleanupRecordKeys } from './cleanupRecordKeys.js';
import { dispatchCleanupPlan } from './dispatchCleanupPlan.js';
import type { CleanupPlan } from './planCleanup.js';
import { renderCleanupSummary } from './renderCleanupSummary.js';

/**
 * An admin approves exactly the plan stored under a run: a run the breaker `blocked`, or a
 * `completed` dry run (the review window). The run becomes an `applying` apply run and its items
 * go on the queue; every item is still re-checked by the worker before anything is done.
 * Approving twice is refused (`CleanupRunNotApprovableError`), except to finish a dispatch that
 * an earlier approval could not complete.
 *
 * @example
 * const run = await approveCleanupRun('20260102T030405Z-1a2b3c', 'ana@contoso.com', ports);
 * run.status; // 'applying'
 */
export async function approveCleanupRun(
  runId: string,
  approvedBy: string,
  ports: CleanupPorts,
): Promise<CleanupRun> {
  const [stored, plan] = await Promise.all([
    ports.records.get<CleanupRun>(cleanupRecordKeys.run(runId)),
    ports.records.get<CleanupPlan>(cleanupRecordKeys.plan(runId)),
  ]);
  if (!stored) throw new CleanupRunNotFoundError(runId);
  const run = stored.value;
  if (!plan) throw new CleanupRunNotApprovableError(runId, run.status);
  if (run.status === 'applying' && run.enqueuedAt === undefined && run.approvedBy !== undefined) {
    return dispatchCleanupPlan(run, stored.etag, plan.value, ports);
  }
  const approvable =
    run.status === 'blocked' || (run.status === 'completed' && run.mode === 'dry-run');
  if (!approvable) throw new CleanupRunNotApprovableError(runId, run.status);

  const approved: CleanupRun = {
    ...run,
    mode: 'apply',
    status: 'applying',
    approvedBy,
    approvedAt: ports.now().toISOString(),
  };
  let etag: string;
  try {
    etag = (await ports.records.replace(cleanupRecordKeys.run(runId), approved, stored.etag)).etag;
  } catch (error) {
    // Someone else approved (or changed) it first.
    if (error instanceof RecordConflictError)
      throw new CleanupRunNotApprovableError(runId, 'being approved');
    throw error;
  }
  ports.logger?.info('cleanup run approved', { runId, approvedBy });
  await ports.records.putText(
    cleanupRecordKeys.summary(runId),
    renderCleanupSummary(approved, plan.value),
    'text/markdown; charset=utf-8',
  );
  return dispatchCleanupPlan(approved, etag, plan.value, ports);
}
