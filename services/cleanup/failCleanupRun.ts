import { RecordNotFoundError } from '../../shared/errors.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import { updateRecord } from '../../shared/records/updateRecord.js';
import type { CleanupPorts } from './CleanupPorts.js';
import type { CleanupRun } from './CleanupRun.js';

/**
 * Ends a run that could not be planned as `failed`, with the reason, so it never stays `queued`.
 * A run already past planning is left alone. The next scheduled run starts afresh.
 *
 * @example
 * await failCleanupRun(runId, 'AuthorizationFailed: the identity cannot list groups', ports);
 */
export async function failCleanupRun(
  runId: string,
  reason: string,
  ports: Pick<CleanupPorts, 'records' | 'logger'>,
): Promise<void> {
  const run = await updateRecord<CleanupRun>(ports.records, recordKeys.cleanup.run(runId), (r) =>
    r.status === 'queued' ? { ...r, status: 'failed', error: reason } : undefined,
  ).catch((error: unknown) => {
    if (error instanceof RecordNotFoundError) return undefined;
    throw error;
  });
  if (run?.value.status === 'failed' && run.value.error === reason) {
    ports.logger.error('cleanup run failed', { runId, reason });
  }
}
