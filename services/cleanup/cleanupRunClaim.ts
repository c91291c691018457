/**
 * At most one active cleanup run per set of subscriptions. A run claims its set
 * (`recordKeys.cleanup.activeRun`) before it is written, and again when it is approved; another
 * request meanwhile is refused with the active run's id. The claim is never released: it lapses
 * with the run's own state (`cleanupRunHolds`; an applying run whose every item has ended is
 * completed first, by `finalizeCleanupRun`): a run that ended, or one that has not moved on for
 * longer than its status allows, holds nothing, and the next run takes the claim over. A run
 * whose claim was taken over never acts afterwards: the planner checks `holdsCleanupClaim` first.
 */

import { claimRecord } from '../../shared/records/claimRecord.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import type { CleanupPorts } from './CleanupPorts.js';
import type { CleanupRun, CleanupRunStatus } from './CleanupRun.js';
import { CleanupRunActiveError } from './errors.js';
import { finalizeCleanupRun } from './finalizeCleanupRun.js';

/** `cleanup/active/{hash of the subscriptions}.json`. */
export interface CleanupRunClaim {
  runId: string;
  subscriptions: string[];
  claimedAt: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * How long a run may hold its subscriptions in each active status without moving on. A queued
 * run is planned within minutes (or fails once its message is poisoned: five deliveries of at
 * most ten minutes each); a blocked run waits a day for its approval; an applied run has a day
 * to finish its items. `starting`: a claim whose run was never written (its requester died).
 */
export const CLEANUP_RUN_HOLDS_FOR: Readonly<
  Record<Exclude<CleanupRunStatus, 'completed' | 'failed'> | 'starting', number>
> = {
  starting: 2 * MINUTE,
  queued: HOUR,
  blocked: 24 * HOUR,
  applying: 24 * HOUR,
};

/**
 * Whether a run still holds its subscriptions at `now`, judged by its own record: an active
 * status (queued, blocked, applying) entered less than that status's `CLEANUP_RUN_HOLDS_FOR` ago.
 *
 * @example
 * cleanupRunHolds({ ...run, status: 'blocked', plannedAt: '2026-01-01T00:00:00Z' }, claim,
 *   new Date('2026-01-01T12:00:00Z')); // true; a day later, false
 */
export function cleanupRunHolds(
  run: CleanupRun | undefined,
  claim: CleanupRunClaim,
  now: Date,
): boolean {
  const within = (since: string | undefined, limitMs: number) =>
    since !== undefined && now.getTime() - Date.parse(since) < limitMs;
  if (!run) return within(claim.claimedAt, CLEANUP_RUN_HOLDS_FOR.starting);
  switch (run.status) {
    case 'queued':
      return within(latest(run.requestedAt, run.resentAt), CLEANUP_RUN_HOLDS_FOR.queued);
    case 'blocked':
      return within(run.plannedAt ?? run.requestedAt, CLEANUP_RUN_HOLDS_FOR.blocked);
    case 'applying':
      return within(
        latest(run.requestedAt, run.plannedAt, run.approvedAt, run.resentAt),
        CLEANUP_RUN_HOLDS_FOR.applying,
      );
    default:
      return false;
  }
}

/**
 * Claims the run's subscriptions for it, or throws `CleanupRunActiveError` naming the run that
 * holds them. Claiming again for the run that holds them succeeds.
 *
 * @example
 * await claimCleanupRun(ports, run); // or 409 with { runId } of the active run
 */
export async function claimCleanupRun(
  ports: Pick<CleanupPorts, 'records' | 'items' | 'clock' | 'logger' | 'events'>,
  run: Pick<CleanupRun, 'runId' | 'subscriptions'>,
): Promise<void> {
  const claim: CleanupRunClaim = {
    runId: run.runId,
    subscriptions: [...run.subscriptions],
    claimedAt: ports.clock.now().toISOString(),
  };
  const outcome = await claimRecord<CleanupRunClaim>(
    ports.records,
    recordKeys.cleanup.activeRun(run.subscriptions),
    claim,
    {
      holderOf: (c) => c.runId,
      isActive: async (c) => {
        let held = (await ports.records.get<CleanupRun>(recordKeys.cleanup.run(c.runId)))?.value;
        if (held?.status === 'applying' && held.enqueuedAt !== undefined) {
          // Every item may have ended while the run's last step is still on its way: end it now.
          held = (await finalizeCleanupRun(c.runId, ports)) ?? held;
        }
        return cleanupRunHolds(held, c, ports.clock.now());
      },
    },
  );
  if (!outcome.won) throw new CleanupRunActiveError(outcome.held.runId);
}

/**
 * Whether the run may act on its subscriptions: it holds their claim, or nobody does (a run
 * requested before runs claimed their subscriptions).
 *
 * @example
 * if (!(await holdsCleanupClaim(ports, run))) await failCleanupRun(run.runId, 'superseded', ports);
 */
export async function holdsCleanupClaim(
  ports: Pick<CleanupPorts, 'records'>,
  run: Pick<CleanupRun, 'runId' | 'subscriptions'>,
): Promise<{ holds: true } | { holds: false; holder: string }> {
  const claim = await ports.records.get<CleanupRunClaim>(
    recordKeys.cleanup.activeRun(run.subscriptions),
  );
  if (!claim || claim.value.runId === run.runId) return { holds: true };
  return { holds: false, holder: claim.value.runId };
}

/** The latest of some ISO 8601 instants. */
function latest(...instants: (string | undefined)[]): string | undefined {
  return instants
    .filter((i): i is string => i !== undefined)
    .sort((a, b) => a.localeCompare(b))
    .at(-1);
}
