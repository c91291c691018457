import type { LockInfo, ResourceGroupInfo } from '../../shared/arm/ResourceGroups.js';
import type { CleanupPolicy } from './CleanupPolicy.js';
import { type CleanupReasonCode, classifyResourceGroup } from './classifyResourceGroup.js';
import { describeTagChanges } from './describeTagChanges.js';
import type { PlanItem } from './planCleanup.js';

/** The worker's verdict just before it acts. */
export type RecheckResult =
  | { verdict: 'proceed' }
  | { verdict: 'gone' }
  | { verdict: 'skip'; reason: RecheckSkipReason; detail: string };

export type RecheckSkipReason =
  | 'tags-changed'
  | 'locked'
  | 'state-changed'
  | 'decision-changed'
  | Exclude<CleanupReasonCode, 'lease-expired' | 'grace-passed' | 'orphan' | 'lease-expiring'>;

/**
 * Re-checks a planned item against the group as it is now, just before acting. It proceeds only
 * when nothing relevant changed since the plan: the same tags (names compared without case, values
 * exactly), no lock, the same provisioning state, and the same decision under the plan's policy at
 * `now`. Anything else is a skip with the reason, so a stale decision is never acted on. A group
 * that no longer exists is `gone`, which counts as done.
 *
 * @example
 * recheckPlanItem(item, { ...group, tags: { ...group.tags, 'sandbox-expires-at': later } }, [], policy, now);
 * // { verdict: 'skip', reason: 'tags-changed', detail: "Tag 'sandbox-expires-at' changed from … to …" }
 */
export function recheckPlanItem(
  item: PlanItem,
  current: ResourceGroupInfo | undefined,
  locks: readonly LockInfo[],
  policy: CleanupPolicy,
  now: Date,
): RecheckResult {
  if (current === undefined) return { verdict: 'gone' };
  if (locks.length > 0) {
    const names = locks.map((l) => `${l.name} (${l.level})`).join(', ');
    return {
      verdict: 'skip',
      reason: 'locked',
      detail: `Management lock: ${names}. Cleanup never removes locks.`,
    };
  }
  const changes = describeTagChanges(item.tags, current.tags);
  if (changes.length > 0) {
    return { verdict: 'skip', reason: 'tags-changed', detail: `${changes.join('; ')}.` };
  }
  if (current.provisioningState !== item.provisioningState) {
    return {
      verdict: 'skip',
      reason: 'state-changed',
      detail: `Provisioning state changed from ${item.provisioningState} to ${current.provisioningState}.`,
    };
  }
  const decision = classifyResourceGroup(current, locks, policy, now);
  if (decision.action !== item.action) {
    const reason = decision.action === 'skip' ? decision.reason : 'decision-changed';
    return {
      verdict: 'skip',
      reason: reason as RecheckSkipReason,
      detail: `Planned '${item.action}', now '${decision.action}': ${decision.detail}`,
    };
  }
  return { verdict: 'proceed' };
}
