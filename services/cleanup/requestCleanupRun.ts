import { RecordJournal } from '../../shared/records/RecordJournal.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import type { CleanupPorts } from './CleanupPorts.js';
import type { CleanupMode, CleanupRun } from './CleanupRun.js';
import { claimCleanupRun } from './cleanupRunClaim.js';
import { newCleanupRunId } from './cleanupRunId.js';
import { CleanupRunActiveError } from './errors.js';
import { resendStrandedCleanupRun } from './resendStrandedCleanupRun.js';

export interface CleanupRunRequest {
  mode: CleanupMode;
  trigger: CleanupRun['trigger'];
  /** The admin's name, or `schedule`. */
  requestedBy: string;
  /** The admin's object id; absent for the schedule. */
  requestedById?: string;
  subscriptions: readonly string[];
}

/**
 * Records a new run as `queued` and puts its plan message on `cleanup-requests`; the planning
 * itself happens in a queue worker (`planCleanupRun`), so the caller gets the run id at once.
 * One run at a time per set of subscriptions: while another is active, nothing is written and
 * `CleanupRunActiveError` names it (the schedule's request also sends again the plan message of
 * an active run that waited too long for it, so a crash never holds cleanup up).
 *
 * @example
 * const run = await requestCleanupRun(
 *   { mode: 'dry-run', trigger: 'http', requestedBy: 'admin-key', subscriptions: ['sub-1'] }, ports);
 * run.runId; // '20260102T030405Z-1a2b3c'
 */
export async function requestCleanupRun(
  request: CleanupRunRequest,
  ports: Pick<CleanupPorts, 'records' | 'items' | 'requests' | 'clock' | 'logger' | 'events'>,
): Promise<CleanupRun> {
  const now = ports.clock.now();
  const run: CleanupRun = {
    runId: newCleanupRunId(now),
    mode: request.mode,
    trigger: request.trigger,
    requestedBy: request.requestedBy,
    ...(request.requestedById ? { requestedById: request.requestedById } : {}),
    status: 'queued',
    subscriptions: [...request.subscriptions],
    requestedAt: now.toISOString(),
  };
  try {
    await claimCleanupRun(ports, run);
  } catch (error) {
    if (error instanceof CleanupRunActiveError && request.trigger === 'timer') {
      const active = await ports.records.get<CleanupRun>(recordKeys.cleanup.run(error.activeRunId));
      if (active) await resendStrandedCleanupRun(active.value, ports);
    }
    throw error;
  }
  const journal = await RecordJournal.open<CleanupRun>(
    ports.records,
    recordKeys.cleanup.run(run.runId),
  );
  await journal.create(run);
  await ports.records.put(recordKeys.cleanup.latest(), { runId: run.runId });
  try {
    await ports.requests.send({ kind: 'plan', runId: run.runId });
  } catch (error) {
    await journal.replace({ ...run, status: 'failed', error: 'The run could not be queued.' });
    throw error;
  }
  ports.logger.info('cleanup run requested', {
    runId: run.runId,
    mode: run.mode,
    trigger: run.trigger,
  });
  return run;
}
