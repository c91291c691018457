import { classifyError } from '../../shared/errors.js';
import { RecordJournal } from '../../shared/records/RecordJournal.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import { finishPowerRun } from './finishPowerRun.js';
import { failPowerRun } from './handlePowerMessage.js';
import { type PowerMessage, parsePowerMessage } from './PowerMessage.js';
import type { PowerPorts } from './PowerPorts.js';
import type { PowerItemOutcome, PowerPlan } from './PowerRun.js';
import { TERMINAL_POWER_STATUSES } from './PowerRun.js';

/**
 * Records a message that landed in `power-requests-poison` as failed, with the last error seen,
 * so no VM (or run) stays in progress for ever.
 *
 * @example
 * await recordPoisonedPowerMessage({ kind: 'vm', … }, 5, ports);
 */
export async function recordPoisonedPowerMessage(
  body: unknown,
  dequeueCount: number | undefined,
  ports: PowerPorts,
): Promise<void> {
  let message: PowerMessage;
  try {
    message = parsePowerMessage(body);
  } catch (error) {
    ports.logger.error('poisoned power message is unreadable; dropped', {
      error: classifyError(error).message,
    });
    return;
  }
  const deliveries = dequeueCount ? `${dequeueCount} deliveries` : 'repeated deliveries';
  if (message.kind === 'plan') {
    await failPowerRun(message.runId, `Planning gave up after ${deliveries}.`, ports);
    return;
  }
  const plan = (await ports.records.get<PowerPlan>(recordKeys.power.plan(message.runId)))?.value;
  const item = plan?.items.find(
    (i) =>
      i.resourceGroup.toLowerCase() === message.resourceGroup.toLowerCase() &&
      i.vm.toLowerCase() === message.vm.toLowerCase(),
  );
  if (!item || item.action === 'skip') return;
  const journal = await RecordJournal.open<PowerItemOutcome>(
    ports.records,
    recordKeys.power.item(message.runId, message.subscriptionId, item.resourceGroup, item.vm),
  );
  const existing = journal.value;
  if (existing && TERMINAL_POWER_STATUSES.has(existing.status)) return;
  const now = ports.clock.now().toISOString();
  await journal.replace({
    runId: message.runId,
    subscriptionId: message.subscriptionId,
    resourceGroup: item.resourceGroup,
    vm: item.vm,
    action: item.action,
    attempts: dequeueCount ?? 0,
    startedAt: now,
    ...existing,
    status: 'failed',
    reason: 'poisoned',
    detail: `Gave up after ${deliveries}; last error: ${existing?.lastError ?? 'unknown'}.`,
    finishedAt: now,
  });
  await finishPowerRun(message.runId, ports);
}
