import type { CleanupPorts } from './CleanupPorts.js';
import type { CleanupMode, CleanupRun } from './CleanupRun.js';
import { cleanupRecordKeys, newCleanupRunId } from './cleanupRecordKeys.js';

export interface CleanupRunRequest {
  mode: CleanupMode;
  trigger: CleanupRun['trigger'];
  /** The admin principal, `admin-key`, or `schedule`. */
  requestedBy: string;
  subscriptions: readonly string[];
}

/**
 * Records a new run as `queued` and puts its plan message on `cleanup-requests`; the planning
 * itself happens in a queue worker (`planCleanupRun`), so the caller gets the run id at once.
 *
 * @example
 * const run = await requestCleanupRun(
 *   { mode: 'dry-run', trigger: 'http', requestedBy: 'admin-key', subscriptions: ['sub-1'] }, ports);
 * run.runId; // '20260102T030405Z-1a2b3c'
 */
export async function requestCleanupRun(
  request: CleanupRunRequest,
  ports: Pick<CleanupPorts, 'records' | 'requests' | 'now' | 'logger'>,
): Promise<CleanupRun> {
  const now = ports.now();
  const run: CleanupRun = {
    runId: newCleanupRunId(now),
    mode: request.mode,
    trigger: request.trigger,
    requestedBy: request.requestedBy,
    status: 'queued',
    subscriptions: [...request.subscriptions],
    requestedAt: now.toISOString(),
  };
  const stored = await ports.records.create(cleanupRecordKeys.run(run.runId), run);
  await ports.records.put(cleanupRecordKeys.latest(), { runId: run.runId });
  try {
    await ports.requests.send({ kind: 'plan', runId: run.runId });
  } catch (error) {
    const failed: CleanupRun = { ...run, status: 'failed', error: 'The run could not be queued.' };
    await ports.records.replace(cleanupRecordKeys.run(run.runId), failed, stored.etag);
    throw error;
  }
  ports.logger?.info('cleanup run requested', {
    runId: run.runId,
    mode: run.mode,
    trigger: run.trigger,
  });
  return run;
}
