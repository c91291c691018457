import { classifyError } from '../../shared/errors.js';
import { retryPolicies, withRetry } from '../../shared/retry.js';
import {
  FAILED_SANDBOX_STATE,
  readTag,
  TAG_EXPIRES_AT,
  TAG_OPERATION_ID,
  TAG_SANDBOX_STATE,
  tagKey,
} from '../sandbox/sandboxTags.js';
import type { Operation, PartialGroup } from './Operation.js';
import type { ProvisioningDeps } from './ProvisioningDeps.js';
import { queueTeardown } from './queueTeardown.js';
import { activeTeardown } from './teardownClaim.js';

/** Who asks for the teardown of a failed sandbox under `FAILED_SANDBOX_POLICY=delete`. */
export const FAILED_SANDBOX_REQUESTER = 'failed-sandbox-policy';

/**
 * Applies `FAILED_SANDBOX_POLICY` to the group a failed provisioning left, and says what became
 * of it. Only a group tagged with this operation's id is ever touched: a group of that name that
 * another request made is left alone (`none`). `keep` tags the group `sandbox-state: failed` and
 * cuts its lease to at most `FAILED_SANDBOX_KEEP_HOURS` from now (never lengthens it); `delete`
 * queues its teardown through the sandbox's one teardown (`queueTeardown`). Safe to apply again:
 * the tags come out the same and a running teardown is reused. A transient failure is thrown for
 * the caller's queue to retry; a permanent one leaves the group as it is (`left`, with the reason).
 *
 * @example
 * const partialGroup = await applyFailedSandboxPolicy(deps, failedOperation);
 * // { name: 'ana-1', action: 'kept', leaseExpiresAt: '2026-01-02T10:00:00.000Z' }
 */
export async function applyFailedSandboxPolicy(
  deps: ProvisioningDeps,
  operation: Operation,
): Promise<PartialGroup> {
  const name = operation.sandbox;
  const groupStep = operation.steps.find((s) => s.name === 'resourceGroup');
  // Nothing of this operation's can be in ARM when it never tried to make the group.
  if (!groupStep || groupStep.state === 'pending') return { name, action: 'none' };
  const { subscriptionId } = operation;
  const retried = <T>(fn: () => Promise<T>) =>
    withRetry(fn, {
      ...retryPolicies.armRead,
      clock: deps.clock,
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
  try {
    const group = await retried(() => deps.groups.get(subscriptionId, name));
    if (!group || readTag(group.tags, TAG_OPERATION_ID) !== operation.id) {
      return { name, action: 'none' };
    }
    if (group.provisioningState === 'Deleting') {
      const running = await activeTeardown(deps, name);
      return { name, action: 'deleting', ...(running ? { teardownOperationId: running.id } : {}) };
    }
    if (deps.settings.failedSandbox.policy === 'delete') {
      const teardown = await queueTeardown(deps, {
        sandbox: { name: group.name, owner: operation.owner, resourceGroupId: group.id },
        requestedBy: FAILED_SANDBOX_REQUESTER,
      });
      return { name, action: 'deleting', teardownOperationId: teardown.id };
    }
    const leaseExpiresAt = shortenedLease(
      readTag(group.tags, TAG_EXPIRES_AT),
      deps.clock.now(),
      deps.settings.failedSandbox.keepHours,
    );
    // A merge changes only these two tags (under the names as the group spells them).
    await retried(() =>
      deps.groups.mergeTags(subscriptionId, name, {
        [tagKey(group.tags, TAG_EXPIRES_AT) ?? TAG_EXPIRES_AT]: leaseExpiresAt,
        [tagKey(group.tags, TAG_SANDBOX_STATE) ?? TAG_SANDBOX_STATE]: FAILED_SANDBOX_STATE,
      }),
    );
    return { name, action: 'kept', leaseExpiresAt };
  } catch (error) {
    const failure = classifyError(error);
    if (failure.kind === 'transient') throw error;
    deps.logger.error(
      'the failed-sandbox policy could not be applied; the group is left as it is',
      {
        sandbox: name,
        code: failure.code,
      },
    );
    return { name, action: 'left', detail: `${failure.code}: ${failure.message}` };
  }
}

/**
 * The lease of a failed sandbox kept for inspection: its own, or `keepHours` from `now` if that
 * is sooner (an unreadable lease counts as later).
 *
 * @example
 * shortenedLease('2026-01-09T00:00:00.000Z', new Date('2026-01-01T00:00:00Z'), 24);
 * // '2026-01-02T00:00:00.000Z'
 */
export function shortenedLease(current: string | undefined, now: Date, keepHours: number): string {
  const cap = now.getTime() + keepHours * 3_600_000;
  const own = current === undefined ? Number.NaN : Date.parse(current);
  return new Date(Number.isFinite(own) ? Math.min(own, cap) : cap).toISOString();
}

/**
 * Whether the failed-sandbox policy is still to be applied to an operation: a provisioning that
 * failed and has not reported its partial group yet.
 *
 * @example
 * needsFailedSandboxPolicy({ ...operation, kind: 'provision', status: 'failed' }); // true
 */
export function needsFailedSandboxPolicy(operation: Operation): boolean {
  return (
    operation.kind === 'provision' &&
    operation.status === 'failed' &&
    operation.partialGroup === undefined
  );
}
