import pLimit from 'p-limit';
import { RecordConflictError } from '../../shared/errors.js';
import type { RecordJournal } from '../../shared/records/RecordJournal.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import { sandboxExpiring } from '../notifications/events.js';
import { readTag, TAG_EXPIRES_AT, TAG_OWNER } from '../sandbox/sandboxTags.js';
import type { CleanupMessage } from './CleanupMessage.js';
import type { CleanupPorts } from './CleanupPorts.js';
import type { CleanupRun } from './CleanupRun.js';
import { finalizeCleanupRun } from './finalizeCleanupRun.js';
import { APPLIED_ACTIONS, type CleanupPlan } from './planCleanup.js';
import { writeCleanupItems } from './writeCleanupItems.js';

/** Lease warnings written and sent at once. */
const WARNING_CONCURRENCY = 16;

/**
 * Carries out the side effects of a run that is `applying` (its record, held by `journal`,
 * already says so): the row of every group to delete or mark, with the plan's entry for it (a
 * worker reads its row, never the whole plan), then one `cleanup-requests` message per group, sent
 * concurrently; and one lease warning per expiring sandbox (`sandbox.expiring`) (once per lease end,
 * however many runs see it). Then it records how many items were queued, and when. Safe to call
 * again after a crash: existing rows are kept, workers ignore items that are already done, and a
 * warning already sent is not sent twice.
 *
 * @example
 * const run = await dispatchCleanupPlan(journal, plan, ports);
 * run.enqueued; // 12
 */
export async function dispatchCleanupPlan(
  journal: RecordJournal<CleanupRun>,
  plan: CleanupPlan,
  ports: Pick<CleanupPorts, 'records' | 'items' | 'requests' | 'events' | 'logger' | 'clock'>,
): Promise<CleanupRun> {
  const run = journal.value!;
  const applied = plan.items.filter((item) => APPLIED_ACTIONS.has(item.action));
  const dispatched = {
    requestedBy: run.requestedBy,
    ...(run.approvedBy ? { approvedBy: run.approvedBy } : {}),
    applied: applied.length,
  };
  await writeCleanupItems(ports.items, run.runId, dispatched, applied, plan.policy);
  const messages: CleanupMessage[] = applied.map((item) => ({
    kind: 'item',
    runId: run.runId,
    subscriptionId: item.subscriptionId,
    group: item.name,
  }));
  if (messages.length > 0) await ports.requests.sendMany(messages);

  const limit = pLimit(WARNING_CONCURRENCY);
  await Promise.all(
    plan.items
      .filter((i) => i.action === 'warn')
      .map((item) =>
        limit(async () => {
          const expiresAt = readTag(item.tags, TAG_EXPIRES_AT) ?? '';
          try {
            await ports.records.create(
              recordKeys.cleanup.leaseWarning(item.subscriptionId, item.name, expiresAt),
              { runId: run.runId },
            );
          } catch (error) {
            if (error instanceof RecordConflictError) return;
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
        }),
      ),
  );
  const enqueuedAt = ports.clock.now().toISOString();
  // Items may already be finishing (the run may even be complete): re-read on a conflict.
  const done = await journal.update((r) =>
    r.enqueuedAt ? undefined : { ...r, enqueued: messages.length, enqueuedAt },
  );
  ports.logger.info('cleanup plan dispatched', { runId: run.runId, enqueued: messages.length });
  // A run with nothing to apply is complete at once; otherwise its last item completes it.
  return messages.length === 0 ? ((await finalizeCleanupRun(run.runId, ports)) ?? done) : done;
}
