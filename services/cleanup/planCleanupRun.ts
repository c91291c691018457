import { CleanupRunNotFoundError } from './CleanupError.js';
import type { CleanupPolicy } from './CleanupPolicy.js';
import type { CleanupPorts } from './CleanupPorts.js';
import type { CleanupRun } from './CleanupRun.js';
import { cleanupRecordKeys } from './cleanupRecordKeys.js';
import { collectInventory } from './collectInventory.js';
import { dispatchCleanupPlan } from './dispatchCleanupPlan.js';
import { type CleanupPlan, planCleanup } from './planCleanup.js';
import { renderCleanupSummary } from './renderCleanupSummary.js';

/**
 * Plans a queued run: lists the inventory, builds the plan with `planCleanup`, and writes the plan
 * (JSON) and its summary (Markdown) before anything else happens. Then, by mode and breaker:
 * a dry run is `completed`; a run over the blast radius is `blocked` and nothing is done; an apply
 * run within it is dispatched and `applying`. Mode only gates the side effects, never the plan.
 *
 * A redelivered message finds the plan already written and reuses it, so a crash never yields
 * a second, different plan for the same run.
 *
 * @example
 * const run = await planCleanupRun('20260102T030405Z-1a2b3c', policy, ports);
 * run.status; // 'completed' | 'blocked' | 'applying'
 */
export async function planCleanupRun(
  runId: string,
  policy: CleanupPolicy,
  ports: CleanupPorts,
): Promise<CleanupRun> {
  const runKey = cleanupRecordKeys.run(runId);
  const stored = await ports.records.get<CleanupRun>(runKey);
  if (!stored) throw new CleanupRunNotFoundError(runId);
  const run = stored.value;
  const log = ports.logger?.child({ runId });
  const existingPlan = (await ports.records.get<CleanupPlan>(cleanupRecordKeys.plan(runId)))?.value;
  if (run.status === 'applying' && run.enqueuedAt === undefined && existingPlan) {
    // An earlier delivery crashed while dispatching: finish it (dispatch is idempotent).
    return dispatchCleanupPlan(run, stored.etag, existingPlan, ports);
  }
  if (run.status !== 'queued') return run;

  let plan = existingPlan;
  if (!plan) {
    const now = ports.now();
    const inventory = await collectInventory(run.subscriptions, policy, now, ports.groups, {
      ...(ports.readAttempts ? { attempts: ports.readAttempts } : {}),
      ...(ports.delay ? { delay: ports.delay } : {}),
    });
    plan = planCleanup(inventory, policy, now);
    await ports.records.put(cleanupRecordKeys.plan(runId), plan);
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
    cleanupRecordKeys.summary(runId),
    renderCleanupSummary(planned, plan),
    'text/markdown; charset=utf-8',
  );
  // The run says `applying` before its first message is sent, so no worker finds it `queued`.
  const saved = await ports.records.replace(runKey, planned, stored.etag);
  log?.info('cleanup run planned', {
    status: planned.status,
    counts: plan.counts,
    blastRadius: plan.blastRadius,
  });
  return planned.status === 'applying'
    ? dispatchCleanupPlan(planned, saved.etag, plan, ports)
    : planned;
}
