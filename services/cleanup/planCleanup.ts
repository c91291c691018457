import type { LockInfo, ResourceGroupInfo } from '../../shared/arm/ResourceGroups.js';
import {
  readTag,
  TAG_CLEANUP_DELETE_AFTER,
  TAG_CREATED_BY,
  TAG_MANAGED_BY,
} from '../sandbox/sandboxTags.js';
import type { CleanupPolicy } from './CleanupPolicy.js';
import { type BlastRadius, checkBlastRadius } from './checkBlastRadius.js';
import {
  type CleanupAction,
  type CleanupReasonCode,
  classifyResourceGroup,
} from './classifyResourceGroup.js';

/** One group as listed, with the locks found on it. */
export interface InventoryEntry {
  group: ResourceGroupInfo;
  locks: readonly LockInfo[];
}

/** One group's planned action, with the state it was decided on (for the re-check). */
export interface PlanItem {
  subscriptionId: string;
  name: string;
  id: string;
  action: CleanupAction;
  reason: CleanupReasonCode;
  detail: string;
  /** The group's tags when planned; any change to them makes the worker skip. */
  tags: Record<string, string>;
  provisioningState: string;
  /** Names of the locks found when planned. */
  locks: string[];
  /** Who created the group: its `created-by` tag, when it has one. */
  createdBy?: string;
}

/** Every planned item, its counts, and the breaker's verdict. Mode plays no part in it. */
export interface CleanupPlan {
  plannedAt: string;
  policy: CleanupPolicy;
  items: PlanItem[];
  counts: Record<CleanupAction, number>;
  blastRadius: BlastRadius;
}

/** The actions a worker carries out; the others are only reported. */
export const APPLIED_ACTIONS: ReadonlySet<CleanupAction> = new Set([
  'delete',
  'delete-marked',
  'mark',
]);

/**
 * How many items a plan's counts apply.
 *
 * @example
 * appliedItemCount({ delete: 3, 'delete-marked': 1, mark: 2, warn: 4, keep: 9, skip: 0 }); // 6
 */
export function appliedItemCount(counts: Record<CleanupAction, number>): number {
  let n = 0;
  for (const action of APPLIED_ACTIONS) n += counts[action];
  return n;
}

/**
 * Builds the cleanup plan for an inventory: classifies every group and checks the blast radius.
 * Pure, and the only place a plan is made: a dry run and an apply run call it alike, so they
 * cannot disagree. Items are sorted by subscription, then name, so equal inputs give equal plans.
 *
 * @example
 * const plan = planCleanup(inventory, policy, new Date('2026-01-02T00:00:00Z'));
 * plan.counts.delete; // 3
 * plan.blastRadius.tripped; // false
 */
export function planCleanup(
  inventory: readonly InventoryEntry[],
  policy: CleanupPolicy,
  now: Date,
): CleanupPlan {
  const counts: Record<CleanupAction, number> = {
    delete: 0,
    'delete-marked': 0,
    mark: 0,
    warn: 0,
    skip: 0,
  };
  let governed = 0;
  const items = inventory.map(({ group, locks }): PlanItem => {
    const decision = classifyResourceGroup(group, locks, policy, now);
    const createdBy = readTag(group.tags, TAG_CREATED_BY);
    counts[decision.action] += 1;
    if (
      readTag(group.tags, TAG_MANAGED_BY) === policy.appName ||
      readTag(group.tags, TAG_CLEANUP_DELETE_AFTER) !== undefined
    ) {
      governed += 1;
    }
    return {
      subscriptionId: group.subscriptionId,
      name: group.name,
      id: group.id,
      ...decision,
      tags: { ...group.tags },
      provisioningState: group.provisioningState,
      locks: locks.map((l) => l.name),
      ...(createdBy ? { createdBy } : {}),
    };
  });
  items.sort(
    (a, b) =>
      compare(a.subscriptionId, b.subscriptionId) ||
      compare(a.name.toLowerCase(), b.name.toLowerCase()),
  );
  return {
    plannedAt: now.toISOString(),
    policy,
    items,
    counts,
    blastRadius: checkBlastRadius(counts.delete + counts['delete-marked'], governed, policy),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
