import { classifyError } from '../../shared/errors.js';
import { RecordJournal } from '../../shared/records/RecordJournal.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import { type CleanupMessage, parseCleanupMessage } from './CleanupMessage.js';
import type { CleanupPorts } from './CleanupPorts.js';
import { type CleanupItemOutcome, TERMINAL_ITEM_STATUSES } from './CleanupRun.js';
import { failCleanupRun } from './failCleanupRun.js';
import type { CleanupPlan } from './planCleanup.js';
import { refreshCleanupSummary } from './refreshCleanupSummary.js';

/**
 * Records a message that landed in `cleanup-requests-poison` as failed, with the last error seen,
 * so no item (or run) stays "in progress" forever. An item already terminal is left alone.
 *
 * @example
 * await recordPoisonedCleanupMessage({ kind: 'item', runId, subscriptionId: 's', group: 'sbx-1' }, 5, ports);
 */
export async function recordPoisonedCleanupMessage(
  body: unknown,
  dequeueCount: number | undefined,
  ports: Pick<CleanupPorts, 'records' | 'clock' | 'logger' | 'events'>,
): Promise<void> {
  let message: CleanupMessage;
  try {
    message = parseCleanupMessage(body);
  } catch (error) {
    ports.logger.error('poisoned cleanup message is unreadable; dropped', {
      error: classifyError(error).message,
    });
    return;
  }
  const now = ports.clock.now().toISOString();
  const deliveries = (n: number | undefined) => (n ? `${n} deliveries` : 'repeated deliveries');
  const attempts = deliveries(dequeueCount);
  if (message.kind === 'plan') {
    await failCleanupRun(message.runId, `Planning gave up after ${attempts}.`, ports);
    return;
  }
  const journal = await RecordJournal.open<CleanupItemOutcome>(
    ports.records,
    recordKeys.cleanup.item(message.runId, message.subscriptionId, message.group),
  );
  const existing = journal.value;
  if (existing && TERMINAL_ITEM_STATUSES.has(existing.status)) return;
  const plan = await ports.records.get<CleanupPlan>(recordKeys.cleanup.plan(message.runId));
  const item = plan?.value.items.find(
    (i) => i.subscriptionId === message.subscriptionId && i.name === message.group,
  );
  const failed: CleanupItemOutcome = {
    runId: message.runId,
    subscriptionId: message.subscriptionId,
    name: message.group,
    action: item?.action ?? 'skip',
    plannedReason: item?.reason ?? 'not-managed',
    attempts: dequeueCount ?? 0,
    startedAt: now,
    ...existing,
    status: 'failed',
    reason: 'poisoned',
    detail: `Gave up after ${deliveries(dequeueCount ?? existing?.attempts)}; last error: ${existing?.lastError ?? 'unknown'}.`,
    finishedAt: now,
  };
  try {
    await journal.replace(failed);
  } catch (error) {
    // A late worker finished it meanwhile: its outcome stands. Anything else: let the host retry.
    if (classifyError(error).code !== 'RecordConflict') throw error;
    return;
  }
  ports.logger.error('cleanup item failed: message poisoned', {
    runId: message.runId,
    resourceGroup: message.group,
    lastError: existing?.lastError,
  });
  await refreshCleanupSummary(message.runId, ports);
}
