/**
 * The records a cleanup run leaves in the record store, under `cleanup/runs/{runId}/`
 * (see `recordKeys.cleanup`): the run itself, its plan and summary, one outcome per applied item,
 * and audit entries for every destructive action.
 */
import type { BlastRadius } from './checkBlastRadius.js';
import type { CleanupAction, CleanupReasonCode } from './classifyResourceGroup.js';
import type { RecheckSkipReason } from './recheckPlanItem.js';

export type CleanupMode = 'dry-run' | 'apply';

/**
 * `queued`: waiting for the planner; `blocked`: the breaker tripped and nothing was done;
 * `applying`: items are (or are being put) on the queue; `completed`: a dry run is planned, or
 * every applied item is terminal (`finalizeCleanupRun`); `failed`: the plan could not be made, or
 * another run took the subscriptions over. Queued, blocked and applying runs are active: one at a
 * time per set of subscriptions (`cleanupRunClaim`).
 */
export type CleanupRunStatus = 'queued' | 'blocked' | 'applying' | 'completed' | 'failed';

/** `cleanup/runs/{runId}/run.json`. */
export interface CleanupRun {
  runId: string;
  mode: CleanupMode;
  trigger: 'timer' | 'http';
  /** Who asked: the admin's name, or `schedule`. */
  requestedBy: string;
  /** The admin's object id; absent for the schedule. Nobody approves a run they started. */
  requestedById?: string;
  status: CleanupRunStatus;
  subscriptions: string[];
  requestedAt: string;
  plannedAt?: string;
  /** When the items were put on the queue. */
  enqueuedAt?: string;
  counts?: Record<CleanupAction, number>;
  blastRadius?: BlastRadius;
  /** How many items were put on the queue (set once every item is). */
  enqueued?: number;
  /** How far putting the items on the queue has come, while it goes on (`dispatchCleanupPlan`). */
  dispatch?: CleanupDispatch;
  approvedBy?: string;
  approvedById?: string;
  approvedAt?: string;
  /** When the run's plan message was last sent again, the run having waited too long for it. */
  resentAt?: string;
  /** When the last applied item ended (set when an applied run completes). */
  finishedAt?: string;
  /** Applied items by outcome (set when an applied run completes). */
  outcomes?: Partial<Record<CleanupItemStatus, number>>;
  error?: string;
}

/**
 * An applied run's items go on the queue in waves, a bounded number ahead of the workers, so the
 * queue never holds the whole run. Each wave sends the next rows after `after` and a message for
 * the next wave, marked `wave`; a message marked with any other wave is stale and does nothing.
 */
export interface CleanupDispatch {
  /** Items sent so far, in row key order. */
  sent: number;
  /** The row key of the last item sent. */
  after?: string;
  /** The mark of the one message that may send the next wave. */
  wave: string;
  /** When the last wave went out. */
  at: string;
}

/** A worker's outcome for one applied item. Everything but `in-progress` is terminal. */
export type CleanupItemStatus =
  | 'in-progress'
  | 'deleted'
  | 'already-gone'
  | 'marked'
  | 'skipped'
  | 'failed';

/** A worker's record of one applied item: its row's `outcome` (see `CleanupItemRecord`). */
export interface CleanupItemOutcome {
  runId: string;
  subscriptionId: string;
  name: string;
  action: CleanupAction;
  plannedReason: CleanupReasonCode;
  status: CleanupItemStatus;
  /** Why it was skipped or failed. */
  reason?: RecheckSkipReason | 'poisoned' | string;
  detail?: string;
  /** Deliveries that worked on this item. */
  attempts: number;
  lastError?: string;
  /** When this item's DELETE was first sent; from then on a redelivery never sends another. */
  deleteStartedAt?: string;
  /** How many times polling a long delete was handed over to a later delivery. */
  continuations?: number;
  /** The delete poller's resume token, so a redelivery resumes polling instead of deleting again. */
  resumeToken?: string;
  startedAt: string;
  finishedAt?: string;
}

/** What cleanup writes to the audit trail (as `cleanup.{event}`), before and after each action. */
export type CleanupAuditEvent =
  | 'delete-started'
  | 'deleted'
  | 'already-gone'
  | 'delete-failed'
  | 'marked';

export const TERMINAL_ITEM_STATUSES: ReadonlySet<CleanupItemStatus> = new Set([
  'deleted',
  'already-gone',
  'marked',
  'skipped',
  'failed',
]);
