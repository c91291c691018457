import { RecordJournal } from '../../shared/records/RecordJournal.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import { newCleanupRunId } from '../cleanup/cleanupRunId.js';
import type { PowerPorts } from './PowerPorts.js';
import type { PowerRun } from './PowerRun.js';

/**
 * Records a new run as `queued` and puts its plan message on `power-requests`; a queue worker
 * plans it (`planPowerRun`), with the queue's retries.
 *
 * @example
 * const run = await requestPowerRun({ trigger: 'timer', requestedBy: 'schedule' }, ports);
 */
export async function requestPowerRun(
  request: Pick<PowerRun, 'trigger' | 'requestedBy'>,
  ports: Pick<PowerPorts, 'records' | 'requests' | 'clock' | 'logger' | 'subscriptions'>,
): Promise<PowerRun> {
  const now = ports.clock.now();
  const run: PowerRun = {
    runId: newCleanupRunId(now),
    ...request,
    status: 'queued',
    subscriptions: [...ports.subscriptions],
    requestedAt: now.toISOString(),
  };
  const journal = await RecordJournal.open<PowerRun>(
    ports.records,
    recordKeys.power.run(run.runId),
  );
  await journal.create(run);
  await ports.records.put(recordKeys.power.latest(), { runId: run.runId });
  try {
    await ports.requests.send({ kind: 'plan', runId: run.runId });
  } catch (error) {
    await journal.replace({ ...run, status: 'failed', error: 'The run could not be queued.' });
    throw error;
  }
  ports.logger.info('power run requested', { runId: run.runId, trigger: run.trigger });
  return run;
}
