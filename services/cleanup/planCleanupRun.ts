import { RecordJournal } from '../../shared/records/RecordJournal.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import { cleanupRunBlocked, cleanupRunCompleted } from '../notifications/events.js';
import type { CleanupPolicy } from './CleanupPolicy.js';
import type { CleanupPorts } from './CleanupPorts.js';
import type { CleanupRun } from './CleanupRun.js';
import { holdsCleanupClaim } from './cleanupRunClaim.js';
import { collectInventory } from './collectInventory.js';
import {
  type DispatchOptions,
  dispatchCleanupPlan,
  dispatchNextCleanupItems,
} from './dispatchCleanupPlan.js';
import { CleanupRunNotFoundError } from './errors.js';
import { failCleanupRun } from './failCleanupRun.js';
import { type CleanupPlan, planCleanup } from './planCleanup.js';
import { renderCleanupSummary } from './renderCleanupSummary.js';

/**
 * Plans a queued run: lists the inventory, builds the plan with `planCleanup`, and writes the plan
 * (JSON) and its summary (Markdown) before anything else happens. Then, by mode and breaker:
 * a dry run is `completed`; a run over the blast radius is `blocked` and nothing is done; an apply
 * run within it is dispatched and `applying`. Mode only gates the side effects, never the plan.
 *
 * A redelivered message finds the plan already written and reuses it, so a crash never yields
 * a second, different plan for the same run. A run whose subscriptions another run has taken over
 * (`cleanupRunClaim`) is not planned: it fails, saying which run superseded it.
 *
 * @example
 * const run = await planCleanupRun('20260102T030405Z-1a2b3c', policy, ports);
 * run.status; // 'completed' | 'blocked' | 'applying'
 */
export async function planCleanupRun(
  runId: string,
  policy: CleanupPolicy,
  ports: CleanupPorts,
  options: DispatchOptions & { wave?: string } = {},
): Promise<CleanupRun> {
  const journal = await RecordJournal.open<CleanupRun>(
    ports.records,
    recordKeys.cleanup.run(runId),
  );
  const run = journal.value;
  if (!run) throw new CleanupRunNotFoundError(runId);
  const log = ports.logger.child({ runId });
  if (run.status === 'applying' && run.enqueuedAt === undefined && run.dispatch) {
    // Its rows are written: send the next wave of items (the message of a wave, or a resend).
    return dispatchNextCleanupItems(journal, ports, options);
  }
  if (run.status !== 'queued' && run.status !== 'applying') return run;
  const existingPlan = (await ports.records.get<CleanupPlan>(recordKeys.cleanup.plan(runId)))
    ?.value;
  if (run.status === 'applying') {
    // An earlier delivery crashed while dispatching: finish it (dispatch is idempotent).
    return run.enqueuedAt === undefined && existingPlan
      ? dispatchCleanupPlan(journal, existingPlan, ports, options)
      : run;
  }
  const claim = await holdsCleanupClaim(ports, run);
  if (!claim.holds) {
    // The run waited so long that another took its subscriptions over: it must not act now.
    const reason = `Superseded: run '${claim.holder}' took the subscriptions over while this run waited to be planned.`;
    await failCleanupRun(runId, reason, ports);
    return { ...run, status: 'failed', error: reason };
  }

  let plan = existingPlan;
  if (!plan) {
    const inventory = await collectInventory(run.subscriptions, policy, ports);
    plan = planCleanup(inventory, policy, ports.clock.now());
    await ports.records.put(recordKeys.cleanup.plan(runId), plan);
  }

  const planned: CleanupRun = {
    ...run,
    plannedAt: plan.plannedAt,
    counts: plan.counts,
    blastRadius: plan.blastRadius,
    status:
      run.mode === 'dry-run' ? 'completed' : plan.blastRadius.tripped ? 'blocked' : 'applying',
  };
  // The summary goes out before the first message, so people can read what is about to happen.
  await ports.records.putText(
    recordKeys.cleanup.summary(runId),
    renderCleanupSummary(planned, plan),
    'text/markdown; charset=utf-8',
  );
  // The run says `applying` before its first message is sent, so no worker finds it `queued`.
  await journal.replace(planned);
  if (planned.status === 'blocked')
    await ports.events.publish(cleanupRunBlocked(planned, ports.clock.now()));
  if (planned.status === 'completed')
    await ports.events.publish(cleanupRunCompleted(planned, ports.clock.now()));
  log.info('cleanup run planned', {
    status: planned.status,
    counts: plan.counts,
    blastRadius: plan.blastRadius,
  });
  return planned.status === 'applying'
    ? dispatchCleanupPlan(journal, plan, ports, options)
    : planned;
}
