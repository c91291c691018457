import { classifyError, RecordNotFoundError } from '../../shared/errors.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import { updateRecord } from '../../shared/records/updateRecord.js';
import { applyPowerItem } from './applyPowerItem.js';
import { type PowerMessage, parsePowerMessage } from './PowerMessage.js';
import type { PowerPorts } from './PowerPorts.js';
import type { PowerRun } from './PowerRun.js';
import { planPowerRun } from './planPowerRun.js';

/**
 * The `power-requests` worker: plans a run, or stops or starts one VM of it. Transient failures
 * are thrown for the queue to deliver again (and poison in the end); a run that cannot be
 * planned for a permanent reason ends `failed` with it; anything else is logged and dropped.
 *
 * @example
 * await handlePowerMessage({ kind: 'plan', runId }, ports);
 */
export async function handlePowerMessage(body: unknown, ports: PowerPorts): Promise<void> {
  let message: PowerMessage | undefined;
  try {
    message = parsePowerMessage(body);
    if (message.kind === 'plan') await planPowerRun(message.runId, ports);
    else await applyPowerItem(message, ports);
  } catch (error) {
    const c = classifyError(error);
    if (c.kind === 'transient') throw error;
    const reason = `${c.code}: ${c.message}`;
    if (message?.kind === 'plan') await failPowerRun(message.runId, reason, ports);
    else ports.logger.error('power message dropped', { code: c.code, error: c.message });
  }
}

/**
 * Ends a run that could not be planned as `failed`, with the reason. A run past planning is left
 * alone.
 *
 * @example
 * await failPowerRun(runId, 'Planning gave up after 5 deliveries.', ports);
 */
export async function failPowerRun(
  runId: string,
  reason: string,
  ports: Pick<PowerPorts, 'records' | 'logger'>,
): Promise<void> {
  await updateRecord<PowerRun>(ports.records, recordKeys.power.run(runId), (r) =>
    r.status === 'queued' ? { ...r, status: 'failed', error: reason } : undefined,
  ).catch((error: unknown) => {
    if (!(error instanceof RecordNotFoundError)) throw error;
  });
  ports.logger.error('power run failed', { runId, reason });
}
