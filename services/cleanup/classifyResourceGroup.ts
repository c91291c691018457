import type { LockInfo, ResourceGroupInfo } from '../../shared/arm/ResourceGroups.js';
import { parseInstant } from '../sandbox/parseInstant.js';
import {
  readTag,
  TAG_CLEANUP_DELETE_AFTER,
  TAG_CLEANUP_EXEMPT_UNTIL,
  TAG_EXPIRES_AT,
  TAG_MANAGED_BY,
} from '../sandbox/sandboxTags.js';
import type { CleanupPolicy } from './CleanupPolicy.js';
import { matchProtectedPattern } from './matchProtectedPattern.js';

/** What cleanup does with one group. Only `delete` and `delete-marked` remove anything. */
export type CleanupAction = 'delete' | 'warn' | 'mark' | 'delete-marked' | 'skip';

/** Why: a stable code for machines and reports. */
export type CleanupReasonCode =
  | 'lease-expired'
  | 'lease-expiring'
  | 'orphan'
  | 'grace-passed'
  | 'deleting'
  | 'exempt'
  | 'exemption-invalid'
  | 'protected-name'
  | 'locked'
  | 'lease-invalid'
  | 'not-expired'
  | 'marked'
  | 'mark-invalid'
  | 'orphans-off'
  | 'not-managed';

export interface CleanupDecision {
  action: CleanupAction;
  reason: CleanupReasonCode;
  /** One sentence for people, naming the dates, lock or pattern involved. */
  detail: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Decides what cleanup should do with one group, and why. Pure: the same group, locks, policy and
 * clock always give the same answer, which is what makes a dry run equal to the real run.
 *
 * Protections come first and win over everything: a deletion in progress, an unexpired (or
 * unreadable) exemption, a protected name, then any management lock. A managed group is then
 * judged by its lease alone; an unmanaged one by the orphan policy and its mark. Anything that
 * cannot be read with certainty (a bad date) is skipped, never deleted.
 *
 * @example
 * classifyResourceGroup(
 *   { subscriptionId: 's', name: 'sbx-ana', id: '…', location: 'eastus', provisioningState: 'Succeeded',
 *     tags: { 'managed-by': 'sandbox-automation', 'sandbox-expires-at': '2026-01-01T00:00:00Z' } },
 *   [], policy, new Date('2026-01-02T00:00:00Z'));
 * // { action: 'delete', reason: 'lease-expired', detail: 'Lease ended at 2026-01-01T00:00:00.000Z.' }
 */
export function classifyResourceGroup(
  group: ResourceGroupInfo,
  locks: readonly LockInfo[],
  policy: CleanupPolicy,
  now: Date,
): CleanupDecision {
  const at = now.getTime();
  if (group.provisioningState.toLowerCase() === 'deleting') {
    return skip('deleting', 'A deletion is already in progress.');
  }

  const exemption = readTag(group.tags, TAG_CLEANUP_EXEMPT_UNTIL);
  if (exemption !== undefined) {
    const until = parseInstant(exemption);
    if (until === undefined) {
      return skip(
        'exemption-invalid',
        `Exemption '${exemption}' is not an ISO 8601 date; the group is kept until it is fixed.`,
      );
    }
    if (until > at) return skip('exempt', `Exempt until ${iso(until)}.`);
  }

  const pattern = matchProtectedPattern(group.name, policy.protectedPatterns);
  if (pattern !== undefined) return skip('protected-name', `Name matches protected '${pattern}'.`);

  if (locks.length > 0) {
    const names = locks.map((l) => `${l.name} (${l.level})`).join(', ');
    return skip('locked', `Management lock: ${names}. Cleanup never removes locks.`);
  }

  if (readTag(group.tags, TAG_MANAGED_BY) === policy.appName) {
    const lease = readTag(group.tags, TAG_EXPIRES_AT);
    const expiresAt = lease === undefined ? undefined : parseInstant(lease);
    if (expiresAt === undefined) {
      return skip('lease-invalid', `Managed, but '${TAG_EXPIRES_AT}' is missing or not a date.`);
    }
    if (expiresAt <= at) {
      return {
        action: 'delete',
        reason: 'lease-expired',
        detail: `Lease ended at ${iso(expiresAt)}.`,
      };
    }
    if (expiresAt - at <= policy.warnHours * HOUR) {
      return {
        action: 'warn',
        reason: 'lease-expiring',
        detail: `Lease ends at ${iso(expiresAt)}.`,
      };
    }
    return skip('not-expired', `Lease ends at ${iso(expiresAt)}.`);
  }

  const mark = readTag(group.tags, TAG_CLEANUP_DELETE_AFTER);
  if (policy.orphans !== 'mark') {
    return mark === undefined
      ? skip('not-managed', 'Not managed by this app.')
      : skip('orphans-off', 'Marked, but the orphan policy is off.');
  }
  if (mark !== undefined) {
    const deleteAfter = parseInstant(mark);
    if (deleteAfter === undefined) {
      return skip('mark-invalid', `Mark '${mark}' is not an ISO 8601 date.`);
    }
    if (deleteAfter <= at) {
      return {
        action: 'delete-marked',
        reason: 'grace-passed',
        detail: `Marked for deletion after ${iso(deleteAfter)}; the grace period has passed.`,
      };
    }
    return skip('marked', `Marked; will be deleted after ${iso(deleteAfter)}.`);
  }
  const created = group.createdTime === undefined ? undefined : parseInstant(group.createdTime);
  if (created !== undefined && at - created >= policy.orphanMinAgeDays * DAY) {
    return {
      action: 'mark',
      reason: 'orphan',
      detail: `Unmanaged and created ${Math.floor((at - created) / DAY)} days ago (${iso(created)}).`,
    };
  }
  return skip('not-managed', 'Not managed by this app.');
}

function skip(reason: CleanupReasonCode, detail: string): CleanupDecision {
  return { action: 'skip', reason, detail };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
