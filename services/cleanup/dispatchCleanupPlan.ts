import { RecordConflictError } from '../../shared/errors.js';
import type { RecordJournal } from '../../shared/records/RecordJournal.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import { sandboxExpiring } from '../notifications/events.js';
import { readTag, TAG_EXPIRES_AT, TAG_OWNER } from '../sandbox/sandboxTags.js';
import type { CleanupMessage } from './CleanupMessage.js';
import type { CleanupPorts } from './CleanupPorts.js';
import type { CleanupRun } from './CleanupRun.js';
import { APPLIED_ACTIONS, type CleanupPlan } from './planCleanup.js';

/**
 * Carries out the side effects of a run that is `applying` (its record, held by `journal`,
 * already says so): one `cleanup-requests` message per group to delete or mark, and one lease warning per
 * expiring sandbox (`sandbox.expiring`) (once per lease end, however many runs see it). Then it
 * records how many items were queued, and when. Safe to call again after a crash: workers ignore
 * items that are already done, and a warning already sent is not sent twice.
 *
 * @example
 * const run = await dispatchCleanupPlan(journal, plan, ports);
 * run.enqueued; // 12
 */
export async function dispatchCleanupPlan(
  journal: RecordJournal<CleanupRun>,
  plan: CleanupPlan,
  ports: Pick<CleanupPorts, 'records' | 'requests' | 'events' | 'logger' | 'clock'>,
): Promise<CleanupRun> {
  const run = journal.value!;
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
        recordKeys.cleanup.leaseWarning(item.subscriptionId, item.name, expiresAt),
        {
          runId: run.runId,
        },
      );
    } catch (error) {
      if (error instanceof RecordConflictError) continue;
      throw error;
    }
    const owner = readTag(item.tags, TAG_OWNER);
    await ports.events.publish(
      sandboxExpiring({
        sandbox: item.name,
        subscriptionId: item.subscriptionId,
        ...(owner ? { owner } : {}),
        expiresAt,
        detail: item.detail,
        runId: run.runId,
        time: ports.clock.now().toISOString(),
      }),
    );
  }
  const done: CleanupRun = {
    ...run,
    enqueued: messages.length,
    enqueuedAt: ports.clock.now().toISOString(),
  };
  await journal.replace(done);
  ports.logger.info('cleanup plan dispatched', { runId: run.runId, enqueued: messages.length });
  return done;
}
