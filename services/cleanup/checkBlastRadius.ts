import type { CleanupPolicy } from './CleanupPolicy.js';

/** The breaker's verdict, with the numbers it was decided on, for the run record and report. */
export interface BlastRadius {
  /** Groups the plan would delete (`delete` + `delete-marked`). */
  deletes: number;
  /** Groups cleanup governs: managed by this app, or carrying a cleanup mark. */
  governed: number;
  maxDeletes: number;
  maxDeleteFraction: number;
  /** `deletes / governed`, or 0 when nothing is governed. */
  fraction: number;
  tripped: boolean;
  /** Why it tripped, one sentence per threshold crossed; empty when it did not. */
  reasons: string[];
}

/**
 * The blast-radius breaker. It trips when a run would delete more than `maxDeletes` groups, or
 * more than `maxDeleteFraction` of the groups it governs. Both limits are exclusive: deleting
 * exactly `maxDeletes` groups, or exactly that share, is allowed.
 *
 * @example
 * checkBlastRadius(30, 100, { maxDeletes: 25, maxDeleteFraction: 0.5 }).tripped; // true (30 > 25)
 * checkBlastRadius(3, 10, { maxDeletes: 25, maxDeleteFraction: 0.5 }).tripped; // false
 */
export function checkBlastRadius(
  deletes: number,
  governed: number,
  limits: Pick<CleanupPolicy, 'maxDeletes' | 'maxDeleteFraction'>,
): BlastRadius {
  const fraction = governed === 0 ? (deletes === 0 ? 0 : 1) : deletes / governed;
  const reasons: string[] = [];
  if (deletes > limits.maxDeletes) {
    reasons.push(`Would delete ${deletes} groups, more than the limit of ${limits.maxDeletes}.`);
  }
  if (fraction > limits.maxDeleteFraction) {
    reasons.push(
      `Would delete ${deletes} of ${governed} governed groups (${percent(fraction)}), more than the limit of ${percent(limits.maxDeleteFraction)}.`,
    );
  }
  return {
    deletes,
    governed,
    maxDeletes: limits.maxDeletes,
    maxDeleteFraction: limits.maxDeleteFraction,
    fraction,
    tripped: reasons.length > 0,
    reasons,
  };
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 1000) / 10}%`;
}
