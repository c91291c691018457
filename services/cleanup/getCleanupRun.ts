import { recordKeys } from '../../shared/records/recordKeys.js';
import type { CleanupPorts } from './CleanupPorts.js';
import {
  type CleanupItemOutcome,
  type CleanupItemStatus,
  type CleanupRun,
  type CleanupRunStatus,
  TERMINAL_ITEM_STATUSES,
} from './CleanupRun.js';
import type { BlastRadius } from './checkBlastRadius.js';
import type { CleanupAction, CleanupReasonCode } from './classifyResourceGroup.js';
import { CLEANUP_RUN_ID } from './cleanupRunId.js';
import { CleanupRunNotFoundError } from './errors.js';
import { loadCleanupOutcomes } from './loadCleanupOutcomes.js';
import { APPLIED_ACTIONS, type CleanupPlan } from './planCleanup.js';
import { resendStrandedCleanupRun } from './resendStrandedCleanupRun.js';

/** One group in a run, as `GET /api/cleanup/runs/{id}` shows it. */
export interface CleanupRunViewItem {
  subscriptionId: string;
  name: string;
  action: CleanupAction;
  reason: CleanupReasonCode;
  detail: string;
  /** Who created the group (its `created-by` tag), when it says. */
  createdBy?: string;
  /** The worker's outcome, for applied items; `queued` until a worker records one. */
  outcome?:
    | Pick<CleanupItemOutcome, 'status' | 'reason' | 'detail' | 'attempts' | 'finishedAt'>
    | { status: 'queued' };
}

/** A run with its plan and outcomes, built from the run's records. */
export interface CleanupRunView {
  runId: string;
  mode: CleanupRun['mode'];
  status: CleanupRunStatus;
  trigger: CleanupRun['trigger'];
  requestedBy: string;
  approvedBy?: string;
  subscriptions: string[];
  /** Planned groups by action. */
  counts?: Record<CleanupAction, number>;
  /** Applied items by outcome, `queued` for those no worker has finished. */
  outcomes: Partial<Record<CleanupItemStatus | 'queued', number>>;
  blastRadius?: BlastRadius;
  timings: {
    requestedAt: string;
    plannedAt?: string;
    approvedAt?: string;
    enqueuedAt?: string;
    finishedAt?: string;
    durationMs?: number;
  };
  items: CleanupRunViewItem[];
  error?: string;
}

/**
 * A run as people and tools read it: mode, status, counts by action and by outcome, every item
 * with its reason and outcome, and timings. `latest` names the most recently requested run. An
 * applying run is `completed` once every applied item has a terminal outcome. A run left waiting
 * for its plan message by a crash has the message sent again here, as people follow it.
 *
 * @example
 * const view = await getCleanupRun('latest', ports);
 * view.outcomes; // { deleted: 3, skipped: 1 }
 */
export async function getCleanupRun(
  runIdOrLatest: string,
  ports: Pick<CleanupPorts, 'records' | 'items' | 'requests' | 'clock' | 'logger'>,
): Promise<CleanupRunView> {
  const runId =
    runIdOrLatest === 'latest'
      ? (await ports.records.get<{ runId: string }>(recordKeys.cleanup.latest()))?.value.runId
      : runIdOrLatest;
  if (runId === undefined || !CLEANUP_RUN_ID.test(runId)) {
    throw new CleanupRunNotFoundError(runIdOrLatest);
  }
  const [stored, planRecord] = await Promise.all([
    ports.records.get<CleanupRun>(recordKeys.cleanup.run(runId)),
    ports.records.get<CleanupPlan>(recordKeys.cleanup.plan(runId)),
  ]);
  if (!stored) throw new CleanupRunNotFoundError(runIdOrLatest);
  const run = await resendStrandedCleanupRun(stored.value, ports);
  const plan = planRecord?.value;
  // An apply run acts from `applying` on; a dry run, or a blocked one, has no outcomes.
  const acting = run.mode === 'apply' && (run.status === 'applying' || run.status === 'completed');
  const outcomes = plan && acting ? await loadCleanupOutcomes(ports, runId) : [];
  const byKey = new Map(outcomes.map((o) => [`${o.subscriptionId}/${o.name}`, o]));

  const items: CleanupRunViewItem[] = (plan?.items ?? []).map((item) => {
    const o = byKey.get(`${item.subscriptionId}/${item.name}`);
    const view: CleanupRunViewItem = {
      subscriptionId: item.subscriptionId,
      name: item.name,
      action: item.action,
      reason: item.reason,
      detail: item.detail,
      ...(item.createdBy ? { createdBy: item.createdBy } : {}),
    };
    if (acting && APPLIED_ACTIONS.has(item.action)) {
      view.outcome = o
        ? {
            status: o.status,
            attempts: o.attempts,
            ...(o.reason ? { reason: o.reason } : {}),
            ...(o.detail ? { detail: o.detail } : {}),
            ...(o.finishedAt ? { finishedAt: o.finishedAt } : {}),
          }
        : { status: 'queued' };
    }
    return view;
  });

  const outcomeCounts: CleanupRunView['outcomes'] = {};
  for (const item of items) {
    if (item.outcome)
      outcomeCounts[item.outcome.status] = (outcomeCounts[item.outcome.status] ?? 0) + 1;
  }
  const applied = items.filter((i) => i.outcome !== undefined);
  // A run completes when its last item does (`finalizeCleanupRun`); one whose every item is
  // terminal already reads completed, should that last step still be on its way.
  const done =
    run.status === 'completed' ||
    (run.status === 'applying' &&
      run.enqueuedAt !== undefined &&
      applied.every((i) => TERMINAL_ITEM_STATUSES.has(i.outcome!.status as CleanupItemStatus)));
  const finishedAt =
    run.finishedAt ??
    (done && run.mode === 'apply'
      ? [run.enqueuedAt ?? '', ...outcomes.map((o) => o.finishedAt ?? '')].sort().at(-1)
      : run.status === 'completed' || run.status === 'blocked'
        ? run.plannedAt
        : undefined);

  return {
    runId,
    mode: run.mode,
    status: done ? 'completed' : run.status,
    trigger: run.trigger,
    requestedBy: run.requestedBy,
    ...(run.approvedBy ? { approvedBy: run.approvedBy } : {}),
    subscriptions: run.subscriptions,
    ...(run.counts ? { counts: run.counts } : {}),
    outcomes: outcomeCounts,
    ...(run.blastRadius ? { blastRadius: run.blastRadius } : {}),
    timings: {
      requestedAt: run.requestedAt,
      ...(run.plannedAt ? { plannedAt: run.plannedAt } : {}),
      ...(run.approvedAt ? { approvedAt: run.approvedAt } : {}),
      ...(run.enqueuedAt ? { enqueuedAt: run.enqueuedAt } : {}),
      ...(finishedAt
        ? { finishedAt, durationMs: Date.parse(finishedAt) - Date.parse(run.requestedAt) }
        : {}),
    },
    items,
    ...(run.error ? { error: run.error } : {}),
  };
}

/**
 * The run's Markdown summary, or `undefined` before it has been planned.
 *
 * @example
 * const markdown = await getCleanupSummary(runId, ports);
 */
export async function getCleanupSummary(
  runId: string,
  ports: Pick<CleanupPorts, 'records'>,
): Promise<string | undefined> {
  return ports.records.getText(recordKeys.cleanup.summary(runId));
}
