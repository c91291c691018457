/**
 * Cleanup services over the in-memory fakes, with a clock the test moves and a `drain` that plays
 * the queue workers (retrying transient failures, then "poisoning" like the host would; a message
 * sent with a visibility delay is delivered once the clock has been moved past it).
 */

import type { CleanupItemRecord } from '../../../services/cleanup/CleanupItemRecord.js';
import type { CleanupMessage } from '../../../services/cleanup/CleanupMessage.js';
import type { CleanupPolicy } from '../../../services/cleanup/CleanupPolicy.js';
import { cleanupPorts } from '../../../services/cleanup/CleanupPorts.js';
import type { CleanupItemOutcome, CleanupRun } from '../../../services/cleanup/CleanupRun.js';
import { handleCleanupMessage } from '../../../services/cleanup/handleCleanupMessage.js';
import type { CleanupPlan } from '../../../services/cleanup/planCleanup.js';
import { recordPoisonedCleanupMessage } from '../../../services/cleanup/recordPoisonedCleanupMessage.js';
import { requestCleanupRun } from '../../../services/cleanup/requestCleanupRun.js';
import type { AppEventType } from '../../../services/notifications/AppEvent.js';
import type { NotificationMessage } from '../../../services/notifications/NotificationMessage.js';
import type { AuditEntry } from '../../../shared/audit/recordAudit.js';
import { classifyError } from '../../../shared/errors.js';
import { silentLogger } from '../../../shared/logging/logger.js';
import { queueNames } from '../../../shared/queues/queueNames.js';
import { recordKeys } from '../../../shared/records/recordKeys.js';
import { auditEntriesUnder } from '../auditTrail.js';
import { FakeClock } from '../fakes/FakeClock.js';
import { fakePlatform } from '../fakes/fakePlatform.js';
import { NOW, policyFactory, SUB, sandboxTags } from './cleanupFixtures.js';

export function cleanupHarness(
  options: { now?: Date; policy?: Partial<CleanupPolicy>; queueAhead?: number } = {},
) {
  const platform = fakePlatform(
    { AZURE_SUBSCRIPTION_ID: SUB },
    { clock: new FakeClock(options.now ?? NOW) },
  );
  const { clock, groups, records } = platform;
  const requests = platform.queue<CleanupMessage>(queueNames.cleanupRequests);
  const notifications = platform.queue<NotificationMessage>(queueNames.notifications);
  /** The events of one type emitted so far, oldest first. */
  const events = (type: AppEventType) =>
    notifications.sent.map((s) => s.message.event).filter((e) => e.type === type);
  const ports = cleanupPorts(platform, silentLogger);
  const policy = policyFactory(options.policy);
  /** Items unfinished at once: as the local stack runs, unless the test says. */
  const queueAhead = options.queueAhead ?? 500;

  /** Delivers every queued message (and retries) until the queue is empty; returns the poisoned. */
  async function drain(maxDequeueCount = 5): Promise<CleanupMessage[]> {
    const retries: Array<{ message: CleanupMessage; count: number }> = [];
    const poisoned: CleanupMessage[] = [];
    for (;;) {
      const fresh = requests.takeSent();
      if (fresh?.visibilityTimeoutSeconds) clock.advance(fresh.visibilityTimeoutSeconds * 1000);
      const next = fresh ? { message: fresh.message, count: 1 } : retries.shift();
      if (!next) return poisoned;
      try {
        await handleCleanupMessage(next.message, policy, ports, { queueAhead });
      } catch (error) {
        if (classifyError(error).kind === 'transient' && next.count < maxDequeueCount) {
          retries.push({ message: next.message, count: next.count + 1 });
        } else {
          poisoned.push(next.message);
          await recordPoisonedCleanupMessage(next.message, next.count, ports);
        }
      }
    }
  }

  /** Seeds `n` expired sandboxes (`sbx-00000`, …) and requests an apply run; its id. */
  async function requestApplyRunOverExpired(n: number): Promise<string> {
    groups.seed(
      ...Array.from({ length: n }, (_, i) => ({
        name: `sbx-${String(i).padStart(5, '0')}`,
        tags: sandboxTags(-1),
      })),
    );
    const { runId } = await requestCleanupRun(
      { mode: 'apply', trigger: 'http', requestedBy: 'admin-key', subscriptions: [SUB] },
      ports,
    );
    return runId;
  }

  const read = {
    run: async (runId: string) =>
      (await records.get<CleanupRun>(recordKeys.cleanup.run(runId)))?.value,
    plan: async (runId: string) =>
      (await records.get<CleanupPlan>(recordKeys.cleanup.plan(runId)))?.value,
    item: async (runId: string, name: string, subscriptionId = SUB) =>
      (
        await ports.items.get<CleanupItemRecord>(
          runId,
          recordKeys.cleanupItems.item(subscriptionId, name),
        )
      )?.value.outcome,
    summary: (runId: string) => records.getText(recordKeys.cleanup.summary(runId)),
    audit: async () =>
      (await auditEntriesUnder(records, 'audit/')).map((entry): AuditEntry & { event: string } => ({
        ...entry,
        event: entry.action.replace(/^cleanup\./, ''),
      })),
  };

  /** Sets an item's outcome, as a worker would have left it (its row must exist: plan first). */
  async function writeOutcome(
    runId: string,
    name: string,
    outcome: Partial<CleanupItemOutcome>,
    subscriptionId = SUB,
  ): Promise<void> {
    const rowKey = recordKeys.cleanupItems.item(subscriptionId, name);
    const row = await ports.items.get<CleanupItemRecord>(runId, rowKey);
    if (!row) throw new Error(`run ${runId} has no item ${name}`);
    await ports.items.transact(runId, [
      {
        kind: 'replace',
        rowKey,
        etag: row.etag,
        value: { ...row.value, outcome: outcome as CleanupItemOutcome },
      },
    ]);
  }

  return {
    platform,
    clock,
    groups,
    records,
    requests,
    notifications,
    events,
    ports,
    policy,
    drain,
    requestApplyRunOverExpired,
    read,
    writeOutcome,
  };
}
