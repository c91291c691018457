/**
 * The rows of an applied run in the `cleanupitems` table (partition: the run's id; keys from
 * `recordKeys.cleanupItems`). Each applied item has one row, written when the run is dispatched:
 * the plan's entry for the group with the policy it was planned under and what the item needs of
 * its run, and later the worker's outcome. A worker reads its row, never the whole plan. The tally rows count terminal outcomes,
 * so the last item knows it is the last without reading any other item.
 */
import type { CleanupPolicy } from './CleanupPolicy.js';
import type { CleanupItemOutcome, CleanupItemStatus } from './CleanupRun.js';
import type { PlanItem } from './planCleanup.js';

/** What an item needs to know of its run, fixed when the run is dispatched. */
export interface DispatchedRun {
  requestedBy: string;
  approvedBy?: string;
  /** How many items the run applies: when that many are terminal, the run is complete. */
  applied: number;
}

/** `item|{subscriptionId}|{group}`. */
export interface CleanupItemRecord {
  /** The run, as it was dispatched (so a worker never reads the run's own record). */
  run: DispatchedRun;
  /** The plan's entry for the group, as the plan stored it. */
  planned: PlanItem;
  /** The policy the plan was made under (a plan approved later is re-checked against it). */
  policy: CleanupPolicy;
  /** The worker's outcome; none while the item waits for its first delivery. */
  outcome?: CleanupItemOutcome;
}

/** `tally|{shard}`: how many of the run's items ended with each status, for one shard. */
export interface CleanupTally {
  counts: Partial<Record<CleanupItemStatus, number>>;
}

/** How many shards a run's tally is spread over. */
export const TALLY_SHARDS = 16;

/**
 * The tally shard an item counts in: a hash of its row key, so concurrent workers spread.
 *
 * @example
 * tallyShardOf('item|sub|sbx-1'); // 0..15
 */
export function tallyShardOf(rowKey: string): number {
  // FNV-1a, 32 bits.
  let hash = 0x811c9dc5;
  for (let i = 0; i < rowKey.length; i++) {
    hash ^= rowKey.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % TALLY_SHARDS;
}
