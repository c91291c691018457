import { ForbiddenError } from '../../shared/apiErrors.js';
import type { Caller } from '../../shared/auth/Caller.js';
import { RecordConflictError } from '../../shared/errors.js';
import { RecordJournal } from '../../shared/records/RecordJournal.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import type { CleanupPorts } from './CleanupPorts.js';
import type { CleanupRun } from './CleanupRun.js';
import { claimCleanupRun } from './cleanupRunClaim.js';
import { CleanupRunNotApprovableError, CleanupRunNotFoundError } from './errors.js';
import type { CleanupPlan } from './planCleanup.js';
import { renderCleanupSummary } from './renderCleanupSummary.js';

/**
 * An admin approves exactly the plan stored under a run: a run the breaker `blocked`, or a
 * `completed` dry run (the review window). The approval is one conditional write of the run, from
 * what it was read as to `applying`: of any number of approvals at once, one makes it and every
 * other is refused (`CleanupRunNotApprovableError`), as is any later one. The approved run claims
 * its subscriptions again (`CleanupRunActiveError` while another run holds them) and its items go
 * on the queue through the planner, which every worker re-checks before anything is done. Should
 * the plan message never leave, the run is `applying` with nothing dispatched and the next look
 * at it sends it again (`resendStrandedCleanupRun`).
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
  const approvable =
    run.status === 'blocked' || (run.status === 'completed' && run.mode === 'dry-run');
  if (!plan || !approvable) throw new CleanupRunNotApprovableError(runId, run.status);
  if (
    run.requestedById !== undefined &&
    run.requestedById.toLowerCase() === approver.id.toLowerCase()
  ) {
    throw new ForbiddenError(
      `'${approver.name}' started run '${runId}'; separation of duties: someone else must approve it.`,
      { code: 'SeparationOfDuties' },
    );
  }
  await claimCleanupRun(ports, run);

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
    // Another approval (or the planner) changed it first: that one stands.
    if (error instanceof RecordConflictError) {
      const current = await ports.records.get<CleanupRun>(recordKeys.cleanup.run(runId));
      throw new CleanupRunNotApprovableError(runId, current?.value.status ?? 'being approved');
    }
    throw error;
  }
  ports.logger.info('cleanup run approved', { runId, approvedBy });
  await ports.records.putText(
    recordKeys.cleanup.summary(runId),
    renderCleanupSummary(approved, plan.value),
    'text/markdown; charset=utf-8',
  );
  try {
    await ports.requests.send({ kind: 'plan', runId });
  } catch (error) {
    // The approval stands; the run's next reader sends the message again once it is overdue.
    ports.logger.warn('the approved run could not be queued yet; it will be sent again', {
      runId,
      error,
    });
  }
  return approved;
}
