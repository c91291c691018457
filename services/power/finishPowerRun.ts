import pLimit from 'p-limit';
import { RecordConflictError } from '../../shared/errors.js';
import { RecordJournal } from '../../shared/records/RecordJournal.js';
import type { RecordStore } from '../../shared/records/RecordStore.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import { powerRunCompleted } from '../notifications/events.js';
import type { PowerPorts } from './PowerPorts.js';
import {
  type PowerItemOutcome,
  type PowerPlan,
  type PowerRun,
  TERMINAL_POWER_STATUSES,
} from './PowerRun.js';

/** What a finished run did, in numbers: the run's record and `power.run.completed` carry it. */
export interface PowerRunSummary {
  stopped: number;
  started: number;
  skipped: number;
  failed: number;
  /** Compute hours the stopped VMs are expected not to run (see `PowerPlanItem`). */
  estimatedComputeHoursSaved: number;
}

/**
 * Completes an applying run once every VM it acts on has a terminal outcome, records its summary,
 * and emits `power.run.completed` (a run that acted on no VM completes at planning, silently) (its id is the run's, so two workers finishing the last items
 * together emit one event as far as receivers are concerned). Workers call it after each item.
 *
 * @example
 * await finishPowerRun(runId, ports); // true once the run is completed
 */
export async function finishPowerRun(
  runId: string,
  ports: Pick<PowerPorts, 'records' | 'events' | 'clock' | 'logger'>,
): Promise<boolean> {
  const [journal, planRecord] = await Promise.all([
    RecordJournal.open<PowerRun>(ports.records, recordKeys.power.run(runId)),
    ports.records.get<PowerPlan>(recordKeys.power.plan(runId)),
  ]);
  const run = journal.value;
  const plan = planRecord?.value;
  if (!run || !plan) return false;
  const outcomes = await loadPowerOutcomes(ports.records, runId);
  const acting = plan.items.filter((i) => i.action !== 'skip').length;
  const terminal = outcomes.filter((o) => TERMINAL_POWER_STATUSES.has(o.status));
  if (terminal.length < acting) return false;
  const summary = summarize(plan, outcomes);
  if (run.status !== 'applying') return run.status === 'completed';
  const finishedAt = [run.plannedAt ?? '', ...terminal.map((o) => o.finishedAt ?? '')]
    .sort()
    .at(-1);
  try {
    await journal.replace({
      ...run,
      status: 'completed',
      ...(finishedAt ? { finishedAt } : {}),
      summary,
    });
  } catch (error) {
    // Another worker finished the run first; it emits the event.
    if (error instanceof RecordConflictError) return true;
    throw error;
  }
  ports.logger.info('power run completed', { runId, ...summary });
  await ports.events.publish(
    powerRunCompleted({ runId, time: ports.clock.now().toISOString(), summary: { ...summary } }),
  );
  return true;
}

/**
 * The numbers of a run: the plan's skips plus the workers' outcomes, and the hours saved by the
 * VMs that were stopped.
 *
 * @example
 * summarize(plan, outcomes); // { stopped: 2, started: 0, skipped: 5, failed: 0, estimatedComputeHoursSaved: 23.4 }
 */
export function summarize(plan: PowerPlan, outcomes: readonly PowerItemOutcome[]): PowerRunSummary {
  const byVm = new Map(outcomes.map((o) => [outcomeKey(o), o]));
  const summary: PowerRunSummary = {
    stopped: 0,
    started: 0,
    skipped: 0,
    failed: 0,
    estimatedComputeHoursSaved: 0,
  };
  for (const item of plan.items) {
    if (item.action === 'skip') {
      summary.skipped++;
      continue;
    }
    const outcome = byVm.get(outcomeKey(item));
    if (outcome?.status === 'stopped') {
      summary.stopped++;
      summary.estimatedComputeHoursSaved += item.estimatedHoursSaved ?? 0;
    } else if (outcome?.status === 'started') summary.started++;
    else if (outcome?.status === 'skipped') summary.skipped++;
    else if (outcome?.status === 'failed') summary.failed++;
  }
  summary.estimatedComputeHoursSaved = Math.round(summary.estimatedComputeHoursSaved * 10) / 10;
  return summary;
}

/** Every outcome recorded for a run so far. */
export async function loadPowerOutcomes(
  records: RecordStore,
  runId: string,
): Promise<PowerItemOutcome[]> {
  const keys: string[] = [];
  for await (const key of records.list(recordKeys.power.itemsPrefix(runId))) keys.push(key);
  const limit = pLimit(16);
  const read = await Promise.all(keys.map((k) => limit(() => records.get<PowerItemOutcome>(k))));
  return read.flatMap((record) => (record ? [record.value] : []));
}

function outcomeKey(o: { subscriptionId: string; resourceGroup: string; vm: string }): string {
  return `${o.subscriptionId}/${o.resourceGroup}/${o.vm}`.toLowerCase();
}
