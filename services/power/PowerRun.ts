/**
 * The records a power run leaves under `power/runs/{runId}/` (see `recordKeys.power`): the run,
 * its plan, and one outcome per VM acted on.
 */
import type { PowerTransition } from './powerTransitions.js';

/**
 * `queued`: waiting for the planner; `applying`: VM messages are on the queue; `completed`: every
 * VM acted on has an outcome (or there was nothing to do); `failed`: the plan could not be made.
 */
export type PowerRunStatus = 'queued' | 'applying' | 'completed' | 'failed';

/** What the plan says to do with a VM. */
export type PowerAction = 'stop' | 'start' | 'skip';

/** Why a VM is skipped at planning. */
export type PowerPlanSkipReason =
  | 'no-schedule'
  | 'opted-out'
  | 'invalid-schedule'
  | 'no-transition-due'
  | 'created-after-transition'
  | 'already-applied'
  | 'group-deleting';

/** `power/runs/{runId}/run.json`. */
export interface PowerRun {
  runId: string;
  trigger: 'timer' | 'http';
  requestedBy: string;
  status: PowerRunStatus;
  subscriptions: string[];
  requestedAt: string;
  plannedAt?: string;
  enqueuedAt?: string;
  /** How many VM messages were queued. */
  enqueued?: number;
  finishedAt?: string;
  /** Once completed: what was stopped, started, skipped or failed, and the hours saved. */
  summary?: {
    stopped: number;
    started: number;
    skipped: number;
    failed: number;
    estimatedComputeHoursSaved: number;
  };
  error?: string;
}

/** One VM in a plan. */
export interface PowerPlanItem {
  subscriptionId: string;
  resourceGroup: string;
  vm: string;
  vmId: string;
  vmSize?: string;
  action: PowerAction;
  /** For a stop or start: `off-hour`/`on-hour`, or `caught-up` after a gap; else the skip reason. */
  reason: 'off-hour' | 'on-hour' | 'caught-up' | PowerPlanSkipReason;
  detail: string;
  /** The schedule's value as written, and where it was read from. */
  schedule?: string;
  scheduleSource?: 'vm' | 'group';
  transition?: PowerTransition;
  /** For a stop: hours until the next on hour or the lease's end, whichever comes first. */
  estimatedHoursSaved?: number;
}

/** `power/runs/{runId}/plan.json`. */
export interface PowerPlan {
  runId: string;
  plannedAt: string;
  /** When schedules were evaluated before this run; transitions since then were caught up. */
  previousEvaluationAt?: string;
  items: PowerPlanItem[];
  counts: Record<PowerAction, number>;
}

/** A worker's outcome for one VM. Everything but `in-progress` is terminal. */
export type PowerItemStatus = 'in-progress' | 'stopped' | 'started' | 'skipped' | 'failed';

/** Why a worker left a planned VM alone after re-checking it. */
export type PowerRecheckSkipReason =
  | 'gone'
  | 'locked'
  | 'already-deallocated'
  | 'already-running'
  | 'busy'
  | 'schedule-changed';

/** `power/runs/{runId}/items/{subscriptionId}/{group}/{vm}.json`. */
export interface PowerItemOutcome {
  runId: string;
  subscriptionId: string;
  resourceGroup: string;
  vm: string;
  action: Exclude<PowerAction, 'skip'>;
  status: PowerItemStatus;
  reason?: PowerRecheckSkipReason | 'poisoned' | string;
  detail?: string;
  attempts: number;
  lastError?: string;
  resumeToken?: string;
  /**
   * When this item's deallocate or start was first sent. A later delivery that finds the VM in
   * the state that action leads to records the action as done (the answer of the first was lost),
   * not as skipped; one that finds it on its way there waits for it.
   */
  actionSentAt?: string;
  startedAt: string;
  finishedAt?: string;
}

export const TERMINAL_POWER_STATUSES: ReadonlySet<PowerItemStatus> = new Set([
  'stopped',
  'started',
  'skipped',
  'failed',
]);
