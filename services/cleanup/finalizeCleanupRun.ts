import { RecordJournal } from '../../shared/records/RecordJournal.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import { cleanupRunCompleted } from '../notifications/events.js';
import type { CleanupPorts } from './CleanupPorts.js';
import type { CleanupRun } from './CleanupRun.js';
import { loadCleanupOutcomes } from './loadCleanupOutcomes.js';
import { appliedItemCount, type CleanupPlan } from './planCleanup.js';
import { readCleanupTally } from './readCleanupTally.js';
import { renderCleanupSummary } from './renderCleanupSummary.js';

/**
 * The one place an applied cleanup run ends. Every item that reaches a terminal outcome (and the
 * poison handler) calls it; it reads the run's tally (and the run, unless the caller holds it):
 * a read or two, whatever the size of the run, and nothing more until every applied item is
 * counted. Then, once: it writes the summary with every outcome, publishes `cleanup.run.completed`
 * and marks the run `completed`,
 * with when it finished and its outcomes by status. Calling it again, or from two last items at
 * once, changes nothing more.
 *
 * @example
 * const run = await finalizeCleanupRun(runId, ports);
 * run?.status; // 'applying' until the last item, then 'completed'
 */
export async function finalizeCleanupRun(
  runId: string,
  ports: Pick<CleanupPorts, 'records' | 'items' | 'logger' | 'events' | 'clock'>,
  /** How many items the run applies, when the caller knows (it spares reading the run to count). */
  known?: { applied: number },
): Promise<CleanupRun | undefined> {
  let journal: RecordJournal<CleanupRun> | undefined;
  let applied = known?.applied;
  if (applied === undefined) {
    journal = await RecordJournal.open<CleanupRun>(ports.records, recordKeys.cleanup.run(runId));
    const run = journal.value;
    if (run?.status !== 'applying' || !run.counts) return run;
    applied = appliedItemCount(run.counts);
  }
  const tally = await readCleanupTally(ports.items, runId);
  if (tally.terminal < applied) return journal?.value;
  journal ??= await RecordJournal.open<CleanupRun>(ports.records, recordKeys.cleanup.run(runId));
  if (journal.value?.status !== 'applying') return journal.value;

  const [plan, outcomes] = await Promise.all([
    ports.records.get<CleanupPlan>(recordKeys.cleanup.plan(runId)),
    loadCleanupOutcomes(ports, runId),
  ]);
  const current = journal.value;
  const finishedAt = [current.enqueuedAt ?? '', ...outcomes.map((o) => o.finishedAt ?? '')]
    .sort()
    .at(-1)!;
  const completed: CleanupRun = {
    ...current,
    status: 'completed',
    finishedAt,
    outcomes: tally.byStatus,
  };
  // The summary first: once the run reads `completed`, its summary shows every outcome.
  if (plan) {
    await ports.records.putText(
      recordKeys.cleanup.summary(runId),
      renderCleanupSummary(completed, plan.value, outcomes),
      'text/markdown; charset=utf-8',
    );
  }
  // Then the event, before the run reads `completed`, so that a crash here cannot lose it; its id is
  // the run's, so receivers hear of it once however many last items publish it.
  await ports.events.publish(cleanupRunCompleted(completed, ports.clock.now()));
  let ended = false;
  const saved = await journal.update((r) => {
    ended = r.status === 'applying';
    return ended ? { ...r, status: 'completed', finishedAt, outcomes: tally.byStatus } : undefined;
  });
  if (ended) {
    ports.logger.info('cleanup run completed', {
      runId,
      outcomes: tally.byStatus,
      finishedAt,
    });
  }
  return saved;
}
