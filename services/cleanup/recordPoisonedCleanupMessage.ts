import { classifyError } from '../../shared/errors.js';
import { CleanupItemJournal } from './CleanupItemJournal.js';
import { type CleanupMessage, parseCleanupMessage } from './CleanupMessage.js';
import type { CleanupPorts } from './CleanupPorts.js';
import { type CleanupItemOutcome, TERMINAL_ITEM_STATUSES } from './CleanupRun.js';
import { failCleanupRun } from './failCleanupRun.js';
import { finalizeCleanupRun } from './finalizeCleanupRun.js';

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
  ports: Pick<CleanupPorts, 'records' | 'items' | 'clock' | 'logger' | 'events'>,
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
  const journal = await CleanupItemJournal.open(
    ports.items,
    message.runId,
    message.subscriptionId,
    message.group,
  );
  const row = journal.value;
  if (!row) {
    ports.logger.error('poisoned cleanup message names no item of its run; dropped', {
      runId: message.runId,
      resourceGroup: message.group,
    });
    return;
  }
  const existing = row.outcome;
  if (existing && TERMINAL_ITEM_STATUSES.has(existing.status)) return;
  const failed: CleanupItemOutcome = {
    runId: message.runId,
    subscriptionId: message.subscriptionId,
    name: message.group,
    action: row.planned.action,
    plannedReason: row.planned.reason,
    attempts: dequeueCount ?? 0,
    startedAt: now,
    ...existing,
    status: 'failed',
    reason: 'poisoned',
    detail: `Gave up after ${deliveries(dequeueCount ?? existing?.attempts)}; last error: ${existing?.lastError ?? 'unknown'}.`,
    finishedAt: now,
  };
  try {
    // A late worker that finished it meanwhile wins: its outcome stands.
    if (!(await journal.finish(failed))) return;
  } catch (error) {
    // Anything else: let the host retry.
    if (classifyError(error).code !== 'RecordConflict') throw error;
    return;
  }
  ports.logger.error('cleanup item failed: message poisoned', {
    runId: message.runId,
    resourceGroup: message.group,
    lastError: existing?.lastError,
  });
  await finalizeCleanupRun(message.runId, ports);
}
