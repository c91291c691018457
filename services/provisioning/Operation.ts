import { OperationTransitionError } from './errors.js';
import type { SandboxRequest } from './sandboxRequestSchema.js';

/**
 * `provision` and `teardown` are carried out by the worker; `adoption` records that the app took
 * over a group a person made (it is written already `succeeded`).
 */
export type OperationKind = 'provision' | 'teardown' | 'adoption';
export type OperationStatus = 'queued' | 'running' | 'succeeded' | 'failed';
export type StepState = 'pending' | 'running' | 'succeeded' | 'failed';

/** ARM's error code and message, or the app's own for a policy or poison failure. */
export interface OperationError {
  code: string;
  message: string;
}

/** One resource the operation creates or deletes. */
export interface OperationStep {
  /** The blueprint resource's key, or `resourceGroup`. */
  name: string;
  resourceId: string;
  state: StepState;
  /** The poller's state, saved as soon as the LRO starts so a crashed worker resumes it. */
  resumeToken?: string;
  error?: OperationError;
}

/**
 * What became of the group a failed provisioning left (`FAILED_SANDBOX_POLICY`): `kept` for
 * inspection, tagged `sandbox-state: failed` with its lease cut to `leaseExpiresAt`; `deleting`,
 * by the teardown `teardownOperationId`; `none`, no group of this operation's is there (it was
 * never made, or the name is another's); `left` as it was, because the policy could not be
 * applied (`detail` says why).
 */
export interface PartialGroup {
  name: string;
  action: 'kept' | 'deleting' | 'none' | 'left';
  leaseExpiresAt?: string;
  teardownOperationId?: string;
  detail?: string;
}

/** The record under `operations/{id}.json`, and the body of `GET /api/operations/{id}`. */
export interface Operation {
  id: string;
  kind: OperationKind;
  status: OperationStatus;
  sandbox: string;
  /** The owner's object id (or, on older sandboxes, the name recorded as owner). */
  owner: string;
  subscriptionId: string;
  /** Who asked, for people: the caller's name. */
  requestedBy: string;
  /** Who asked: the caller's object id (absent on operations recorded before it was kept). */
  requestedById?: string;
  /**
   * The group's `created-by` tag: who asked, as `formatCreatedBy` names principals (absent on
   * operations recorded before it was kept; `requestedBy` stands in).
   */
  createdBy?: string;
  /** Provision: the validated request. Teardown: absent. */
  request?: SandboxRequest & { owner: string; ownerName?: string; ttlHours: number };
  /** Provision: the lease's end, fixed when the request was accepted. */
  expiresAt?: string;
  steps: OperationStep[];
  error?: OperationError;
  /** A failed provisioning: what became of its group, once the failed-sandbox policy ran. */
  partialGroup?: PartialGroup;
  /** The last transient failure, kept so a poisoned message can say why. */
  lastTransientError?: OperationError;
  attempts: number;
  createdAt: string;
  updatedAt: string;
}

const TRANSITIONS: Record<OperationStatus, readonly OperationStatus[]> = {
  queued: ['running', 'failed'],
  running: ['succeeded', 'failed'],
  succeeded: [],
  failed: [],
};

/** Whether an operation in `status` has ended; an ended operation never changes again. */
export function isTerminal(status: OperationStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

/**
 * The operation moved to `to`, stamped `now`: queued → running | failed, running → succeeded |
 * failed. Any other move throws, so a re-delivered message cannot revive a finished operation.
 *
 * @example
 * transitionOperation(op, 'running', new Date()).status; // 'running'
 * transitionOperation(succeededOp, 'running', new Date()); // throws OperationTransitionError
 */
export function transitionOperation(
  operation: Operation,
  to: OperationStatus,
  now: Date,
  error?: OperationError,
): Operation {
  if (!TRANSITIONS[operation.status].includes(to)) {
    throw new OperationTransitionError(operation.id, operation.status, to);
  }
  const next: Operation = { ...operation, status: to, updatedAt: now.toISOString() };
  if (to === 'failed') next.error = error ?? { code: 'Failed', message: 'The operation failed.' };
  return next;
}

/**
 * The operation with one step changed (steps are matched by name), stamped `now`.
 *
 * @example
 * updateStep(op, 'account', { state: 'running', resumeToken }, new Date());
 */
export function updateStep(
  operation: Operation,
  name: string,
  patch: Partial<Omit<OperationStep, 'name'>>,
  now: Date,
): Operation {
  if (!operation.steps.some((step) => step.name === name)) {
    throw new Error(`Operation ${operation.id} has no step '${name}'.`);
  }
  return {
    ...operation,
    steps: operation.steps.map((step) => (step.name === name ? { ...step, ...patch } : step)),
    updatedAt: now.toISOString(),
  };
}
