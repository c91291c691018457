import { recordKeys } from '../../shared/records/recordKeys.js';
import { cleanupRunCompleted } from '../notifications/events.js';
import type { CleanupPorts } from './CleanupPorts.js';
import { type CleanupRun, TERMINAL_ITEM_STATUSES } from './CleanupRun.js';
import { loadCleanupOutcomes } from './loadCleanupOutcomes.js';
import { APPLIED_ACTIONS, type CleanupPlan } from './planCleanup.js';
import { renderCleanupSummary } from './renderCleanupSummary.js';

/**
 * Rewrites the run's Markdown summary with the items' outcomes once every applied item is
 * terminal. Workers call it after each item; without coordination, the last one (or the last few,
 * which write the same text) sees every outcome. Returns whether the run was complete.
 *
 * @example
 * await refreshCleanupSummary(runId, ports); // true when the summary now shows every outcome
 */
export async function refreshCleanupSummary(
  runId: string,
  ports: Pick<CleanupPorts, 'records' | 'events' | 'clock'>,
): Promise<boolean> {
  const [run, plan] = await Promise.all([
    ports.records.get<CleanupRun>(recordKeys.cleanup.run(runId)),
    ports.records.get<CleanupPlan>(recordKeys.cleanup.plan(runId)),
  ]);
  if (!run || !plan) return false;
  const applied = plan.value.items.filter((i) => APPLIED_ACTIONS.has(i.action)).length;
  const outcomes = await loadCleanupOutcomes(ports.records, runId);
  const terminal = outcomes.filter((o) => TERMINAL_ITEM_STATUSES.has(o.status));
  if (terminal.length < applied) return false;
  const finished = { ...run.value, status: 'completed' as const };
  await ports.records.putText(
    recordKeys.cleanup.summary(runId),
    renderCleanupSummary(finished, plan.value, outcomes),
    'text/markdown; charset=utf-8',
  );
  // The last item (or the last few, together) completes the run; the event's id is the run's.
  await ports.events.publish(cleanupRunCompleted(finished, ports.clock.now()));
  return true;
}
