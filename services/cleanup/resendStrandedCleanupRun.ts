import { recordKeys } from '../../shared/records/recordKeys.js';
import { updateRecord } from '../../shared/records/updateRecord.js';
import type { CleanupPorts } from './CleanupPorts.js';
import type { CleanupRun } from './CleanupRun.js';

/** How long a run may wait for its plan message before the message is presumed never sent. */
export const CLEANUP_STRANDED_AFTER_MS = 2 * 60_000;

/**
 * Whether a run has waited too long for the worker: still `queued`, or `applying` with its items
 * not all put on the queue, `CLEANUP_STRANDED_AFTER_MS` after it was last requested, planned,
 * approved, sent again or sent a wave of items. The process that wrote the run may have died
 * before its message left.
 *
 * @example
 * isStrandedCleanupRun({ ...run, status: 'queued' }, tenMinutesLater); // true
 */
export function isStrandedCleanupRun(run: CleanupRun, now: Date): boolean {
  const waiting =
    run.status === 'queued' || (run.status === 'applying' && run.enqueuedAt === undefined);
  if (!waiting) return false;
  const since = [run.requestedAt, run.plannedAt, run.approvedAt, run.resentAt, run.dispatch?.at]
    .filter((i): i is string => i !== undefined)
    .map((i) => Date.parse(i));
  return now.getTime() - Math.max(...since) >= CLEANUP_STRANDED_AFTER_MS;
}

/**
 * Sends a stranded run's plan message again (the planner plans a queued run, and goes on with the
 * dispatch of an applying one); a second message is harmless, as the planner skips what is done
 * and only one message goes on sending waves (`dispatchNextCleanupItems`).
 * The run's `resentAt` moves on, so whoever looks at it re-sends at most once per interval.
 * Returns the run as it now stands.
 *
 * @example
 * const run = await resendStrandedCleanupRun(stored, ports); // queued for 10 min: re-sent
 */
export async function resendStrandedCleanupRun(
  run: CleanupRun,
  ports: Pick<CleanupPorts, 'records' | 'requests' | 'clock' | 'logger'>,
): Promise<CleanupRun> {
  const now = ports.clock.now();
  if (!isStrandedCleanupRun(run, now)) return run;
  let resend = false;
  const touched = await updateRecord<CleanupRun>(
    ports.records,
    recordKeys.cleanup.run(run.runId),
    (r) => {
      // Judged on the latest read: someone else may have re-sent it, or the planner taken it.
      resend = isStrandedCleanupRun(r, now);
      return resend ? { ...r, resentAt: now.toISOString() } : undefined;
    },
  );
  if (!resend) return touched.value;
  ports.logger.warn('cleanup run waited too long for its plan message; sending it again', {
    runId: run.runId,
    status: run.status,
  });
  await ports.requests.send({ kind: 'plan', runId: run.runId });
  return touched.value;
}
