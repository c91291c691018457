import type { CleanupPorts } from './CleanupPorts.js';
import type { CleanupRun } from './CleanupRun.js';
import { cleanupRecordKeys } from './cleanupRecordKeys.js';

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
  const stored = await ports.records.get<CleanupRun>(cleanupRecordKeys.run(runId));
  if (stored?.value.status !== 'queued') return;
  await ports.records.replace(
    cleanupRecordKeys.run(runId),
    { ...stored.value, status: 'failed', error: reason },
    stored.etag,
  );
  ports.logger?.error('cleanup run failed', { runId, reason });
}
