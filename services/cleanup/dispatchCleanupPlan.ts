import { RecordConflictError } from '../../shared/errors.js';
import { TAG_EXPIRES_AT, TAG_OWNER } from '../provisioning/sandboxTags.js';
import type { CleanupMessage } from './CleanupMessage.js';
import type { CleanupPorts } from './CleanupPorts.js';
import type { CleanupRun } from './CleanupRun.js';
import { cleanupRecordKeys } from './cleanupRecordKeys.js';
import { APPLIED_ACTIONS, type CleanupPlan } from './planCleanup.js';
import { readTag } from './readTag.js';

/**
 * Carries out the side effects of a run that is `applying` (its record already says so, with
 * `etag`): one `cleanup-requests` message per group to delete or mark, and one lease warning per
 * expiring sandbox on `notifications` (once per lease end, however many runs see it). Then it
 * records how many items were queued, and when. Safe to call again after a crash: workers ignore
 * items that are already done, and a warning already sent is not sent twice.
 *
 * @example
 * const run = await dispatchCleanupPlan(applyingRun, etag, plan, ports);
 * run.enqueued; // 12
 */
export async function dispatchCleanupPlan(
  run: CleanupRun,
  etag: string,
  plan: CleanupPlan,
  ports: Pick<CleanupPorts, 'records' | 'requests' | 'notifications' | 'logger' | 'now'>,
): Promise<CleanupRun> {
  const messages: CleanupMessage[] = plan.items
    .filter((item) => APPLIED_ACTIONS.has(item.action))
    .map((item) => ({
      kind: 'item',
      runId: run.runId,
      subscriptionId: item.subscriptionId,
      group: item.name,
    }));
  if (messages.length > 0) await ports.requests.sendMany(messages);

  for (const item of plan.items.filter((i) => i.action === 'warn')) {
    const expiresAt = readTag(item.tags, TAG_EXPIRES_AT) ?? '';
    try {
      await ports.records.create(
        cleanupRecordKeys.warning(item.subscriptionId, item.name, expiresAt),
        {
          runId: run.runId,
        },
      );
    } catch (error) {
      if (error instanceof RecordConflictError) continue;
      throw error;
    }
    const owner = readTag(item.tags, TAG_OWNER);
    await ports.notifications.send({
      kind: 'sandbox-expiring',
      subscriptionId: item.subscriptionId,
      resourceGroup: item.name,
      ...(owner ? { owner } : {}),
      ...(expiresAt ? { expiresAt } : {}),
      detail: item.detail,
      runId: run.runId,
    });
  }
  const done: CleanupRun = {
    ...run,
    enqueued: messages.length,
    enqueuedAt: ports.now().toISOString(),
  };
  await ports.records.replace(cleanupRecordKeys.run(run.runId), done, etag);
  ports.logger?.info('cleanup plan dispatched', { runId: run.runId, enqueued: messages.length });
  return done;
}
