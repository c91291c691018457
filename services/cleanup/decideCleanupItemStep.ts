import type { LockInfo, ResourceGroupInfo } from '../../shared/arm/ResourceGroups.js';
import type { ErrorClassification } from '../../shared/errors.js';
import { TAG_CLEANUP_DELETE_AFTER } from '../sandbox/sandboxTags.js';
import type { CleanupPolicy } from './CleanupPolicy.js';
import type { CleanupAuditEvent, CleanupItemOutcome, CleanupRun } from './CleanupRun.js';
import { CleanupDeleteInProgressError } from './errors.js';
import type { PlanItem } from './planCleanup.js';
import { type RecheckResult, recheckPlanItem } from './recheckPlanItem.js';

const DAY = 86_400_000;

/** How many times polling a long delete may be handed over to a later delivery (about 3 h). */
export const MAX_CONTINUATIONS = 20;
/** How long a delete may run, from when it was started, before the item gives up on it. */
export const DELETE_TIMEOUT_MS = 3 * 3_600_000;
/** The shortest wait before looking at a running delete again, whatever ARM says. */
const MIN_LOOK_AFTER_SECONDS = 1;

/** What the executor learned from the step it last carried out. */
export type ItemObservation =
  /** The group as it is now (absent when gone), and its locks (read unless it is deleting). */
  | { kind: 'read'; group: ResourceGroupInfo | undefined; locks: readonly LockInfo[] }
  | { kind: 'marked'; deleteAfter: string }
  | { kind: 'delete-started' }
  /** ARM's answer to the delete; `resumed` when it continued a saved operation. */
  | { kind: 'delete-ended'; result: 'deleted' | 'not-found'; resumed: boolean }
  /** The delete outlasted this delivery's budget with its token saved. */
  | { kind: 'budget-exhausted' }
  /** ARM runs the delete and will not be done before `retryAfterMs` (its `Retry-After`). */
  | { kind: 'delete-running'; retryAfterMs: number }
  | { kind: 'failed'; failure: ErrorClassification; error: unknown };

/** What to do next with one cleanup item. */
export type ItemStep =
  /** Read the group and its locks, to re-check the plan (or see how a started delete went). */
  | { kind: 'read' }
  /** Tag the orphan with its deletion date. */
  | { kind: 'mark'; deleteAfter: string }
  /** Record that the delete is starting (from then on, never a second DELETE), then audit it. */
  | { kind: 'start-delete' }
  /** Send (or resume from the token) the delete and wait for it, within this delivery's budget. */
  | { kind: 'delete'; resumeToken?: string }
  /** Hand polling over to a later delivery of the same message. */
  | { kind: 'hand-over'; continuations: number }
  /** Look at the running delete again in a later delivery, after ARM's `Retry-After`. */
  | { kind: 'look-later'; afterSeconds: number }
  /** Not now: record the error and let the queue deliver the message again. */
  | { kind: 'retry-later'; error: unknown; failure?: ErrorClassification }
  /** The item's outcome, final. */
  | {
      kind: 'finish';
      status: Exclude<CleanupItemOutcome['status'], 'in-progress'>;
      reason?: string;
      detail?: string;
      audit?: { event: CleanupAuditEvent; reason: string };
    };

/** Everything the decision depends on: plain data, no I/O. */
export interface ItemState {
  run: Pick<CleanupRun, 'status'>;
  item: PlanItem;
  /** The policy the plan was made under. */
  planPolicy: CleanupPolicy;
  /** Today's policy, when the worker knows it: a tightened setting stops the action too. */
  currentPolicy?: CleanupPolicy;
  outcome: Pick<CleanupItemOutcome, 'deleteStartedAt' | 'resumeToken' | 'continuations'>;
  now: Date;
  /** The result of the step just carried out; none at the start of a delivery. */
  observation?: ItemObservation;
}

/**
 * Decides the next step of one cleanup item from plain data. The executor (`applyCleanupItem`)
 * carries the step out and calls again with what it observed, until the item is finished, handed
 * over, or left for the queue to retry.
 *
 * The rules: only an applying run acts. A delete, once started, is never sent twice: a redelivery
 * resumes it from its token, or looks at the group first. While ARM runs a delete the item looks
 * again after ARM's `Retry-After`, in a later delivery, for at most `DELETE_TIMEOUT_MS`. Just before acting, the group and its
 * locks are read again and the plan must still hold, under the plan's policy and today's. A lock
 * (`ScopeLocked`) is a skip; a transient failure is retried by the queue; any other failure is
 * recorded as `failed`.
 *
 * @example
 * decideCleanupItemStep({ run, item, planPolicy, outcome: {}, now }); // { kind: 'read' }
 */
export function decideCleanupItemStep(state: ItemState): ItemStep {
  const { observation, outcome, item } = state;
  const started = outcome.deleteStartedAt !== undefined;
  if (observation === undefined) {
    if (state.run.status !== 'applying') {
      return {
        kind: 'finish',
        status: 'skipped',
        reason: 'run-not-applying',
        detail: `The run is ${state.run.status}; only an applying run acts on its items.`,
      };
    }
    if (started && outcome.resumeToken !== undefined) {
      return { kind: 'delete', resumeToken: outcome.resumeToken };
    }
    return { kind: 'read' };
  }
  switch (observation.kind) {
    case 'failed':
      return afterFailure(observation.failure, observation.error, started);
    case 'read':
      return started
        ? afterLookingAtStartedDelete(state, observation)
        : afterRecheck(state, observation);
    case 'marked':
      return {
        kind: 'finish',
        status: 'marked',
        detail: `Tagged ${TAG_CLEANUP_DELETE_AFTER}=${observation.deleteAfter}.`,
        audit: {
          event: 'marked',
          reason: `${item.detail} Delete after ${observation.deleteAfter}.`,
        },
      };
    case 'delete-started':
      return { kind: 'delete' };
    case 'delete-ended': {
      const gone =
        observation.result === 'not-found' &&
        !observation.resumed &&
        outcome.resumeToken === undefined;
      const status = gone ? 'already-gone' : 'deleted';
      return {
        kind: 'finish',
        status,
        detail: item.detail,
        audit: { event: status, reason: item.detail },
      };
    }
    case 'budget-exhausted': {
      const continuations = (outcome.continuations ?? 0) + 1;
      if (continuations > MAX_CONTINUATIONS) {
        return {
          kind: 'finish',
          status: 'failed',
          reason: 'delete-timeout',
          detail: `ARM still reports the delete running after ${MAX_CONTINUATIONS} polling rounds; check the group.`,
        };
      }
      return { kind: 'hand-over', continuations };
    }
    case 'delete-running': {
      const startedAt = Date.parse(outcome.deleteStartedAt ?? '');
      if (state.now.getTime() - startedAt > DELETE_TIMEOUT_MS) {
        return {
          kind: 'finish',
          status: 'failed',
          reason: 'delete-timeout',
          detail: `ARM still reports the delete running ${DELETE_TIMEOUT_MS / 3_600_000} hours after it was started; check the group.`,
        };
      }
      const afterSeconds = Math.max(
        MIN_LOOK_AFTER_SECONDS,
        Math.ceil(observation.retryAfterMs / 1000),
      );
      return { kind: 'look-later', afterSeconds };
    }
  }
}

function afterFailure(failure: ErrorClassification, error: unknown, started: boolean): ItemStep {
  if (failure.code === 'ScopeLocked') {
    return {
      kind: 'finish',
      status: 'skipped',
      reason: 'locked',
      detail: `A management lock blocked the delete: ${failure.message} Cleanup never removes locks.`,
      ...(started
        ? { audit: { event: 'delete-failed', reason: `ScopeLocked: ${failure.message}` } }
        : {}),
    };
  }
  if (failure.kind === 'transient') return { kind: 'retry-later', error, failure };
  const reason = `${failure.code}: ${failure.message}`;
  return {
    kind: 'finish',
    status: 'failed',
    reason: failure.code,
    detail: failure.message,
    ...(started ? { audit: { event: 'delete-failed', reason } } : {}),
  };
}

/** A fresh item: the plan must still hold before anything is done. */
function afterRecheck(
  state: ItemState,
  observation: Extract<ItemObservation, { kind: 'read' }>,
): ItemStep {
  const verdict = recheck(state, observation);
  if (verdict.verdict === 'gone') {
    const detail = 'The group no longer exists.';
    return {
      kind: 'finish',
      status: 'already-gone',
      detail,
      audit: { event: 'already-gone', reason: detail },
    };
  }
  if (verdict.verdict === 'skip') {
    return { kind: 'finish', status: 'skipped', reason: verdict.reason, detail: verdict.detail };
  }
  if (state.item.action === 'mark') {
    const deleteAfter = new Date(
      state.now.getTime() + state.planPolicy.graceDays * DAY,
    ).toISOString();
    return { kind: 'mark', deleteAfter };
  }
  return { kind: 'start-delete' };
}

/**
 * A delete an earlier delivery started without saving its token: the DELETE may or may not have
 * reached ARM. Look, don't resend while ARM reports it running; if it never started, decide again.
 */
function afterLookingAtStartedDelete(
  state: ItemState,
  observation: Extract<ItemObservation, { kind: 'read' }>,
): ItemStep {
  const { group } = observation;
  if (group === undefined) {
    return {
      kind: 'finish',
      status: 'deleted',
      detail: state.item.detail,
      audit: { event: 'deleted', reason: state.item.detail },
    };
  }
  if (group.provisioningState.toLowerCase() === 'deleting') {
    return { kind: 'retry-later', error: new CleanupDeleteInProgressError(state.item.name) };
  }
  const verdict = recheck(state, observation);
  if (verdict.verdict === 'skip') {
    return { kind: 'finish', status: 'skipped', reason: verdict.reason, detail: verdict.detail };
  }
  return { kind: 'delete' };
}

/**
 * The plan's policy must still allow the action, and so must today's: a protected pattern added,
 * or the orphan policy switched off, since the plan was made stops it too.
 */
function recheck(
  state: ItemState,
  observation: Extract<ItemObservation, { kind: 'read' }>,
): RecheckResult {
  const { item, now } = state;
  const planned = recheckPlanItem(
    item,
    observation.group,
    observation.locks,
    state.planPolicy,
    now,
  );
  if (planned.verdict !== 'proceed' || !state.currentPolicy) return planned;
  const today = recheckPlanItem(
    item,
    observation.group,
    observation.locks,
    state.currentPolicy,
    now,
  );
  return today.verdict === 'skip'
    ? { ...today, detail: `Under the current settings: ${today.detail}` }
    : today;
}
