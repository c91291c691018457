import { ForbiddenError } from '../../shared/apiErrors.js';
import type { Caller } from '../../shared/auth/Caller.js';
import { RecordConflictError } from '../../shared/errors.js';
import { RecordJournal } from '../../shared/records/RecordJournal.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import type { CleanupPorts } from './CleanupPorts.js';
import type { CleanupRun } from './CleanupRun.js';
import { dispatchCleanupPlan } from './dispatchCleanupPlan.js';
import { CleanupRunNotApprovableError, CleanupRunNotFoundError } from './errors.js';
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
 * const run = await approveCleanupRun('20260102T030405Z-1a2b3c', caller, ports);
 * run.status; // 'applying'
 */
export async function approveCleanupRun(
  runId: string,
  approver: Pick<Caller, 'id' | 'name'>,
  ports: CleanupPorts,
): Promise<CleanupRun> {
  const approvedBy = approver.name;
  const [journal, plan] = await Promise.all([
    RecordJournal.open<CleanupRun>(ports.records, recordKeys.cleanup.run(runId)),
    ports.records.get<CleanupPlan>(recordKeys.cleanup.plan(runId)),
  ]);
  const run = journal.value;
  if (!run) throw new CleanupRunNotFoundError(runId);
  if (!plan) throw new CleanupRunNotApprovableError(runId, run.status);
  if (run.status === 'applying' && run.enqueuedAt === undefined && run.approvedBy !== undefined) {
    return dispatchCleanupPlan(journal, plan.value, ports);
  }
  const approvable =
    run.status === 'blocked' || (run.status === 'completed' && run.mode === 'dry-run');
  if (!approvable) throw new CleanupRunNotApprovableError(runId, run.status);
  if (
    run.requestedById !== undefined &&
    run.requestedById.toLowerCase() === approver.id.toLowerCase()
  ) {
    throw new ForbiddenError(
      `'${approver.name}' started run '${runId}'; separation of duties: someone else must approve it.`,
      { code: 'SeparationOfDuties' },
    );
  }

  const approved: CleanupRun = {
    ...run,
    mode: 'apply',
    status: 'applying',
    approvedBy,
    approvedById: approver.id,
    approvedAt: ports.clock.now().toISOString(),
  };
  try {
    await journal.replace(approved);
  } catch (error) {
    // Someone else approved (or changed) it first.
    if (error instanceof RecordConflictError)
      throw new CleanupRunNotApprovableError(runId, 'being approved');
    throw error;
  }
  ports.logger.info('cleanup run approved', { runId, approvedBy });
  await ports.records.putText(
    recordKeys.cleanup.summary(runId),
    renderCleanupSummary(approved, plan.value),
    'text/markdown; charset=utf-8',
  );
  return dispatchCleanupPlan(journal, plan.value, ports);
}
