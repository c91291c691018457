/**
 * One record that at most one piece of work holds at a time: the operation creating a sandbox
 * name, the teardown deleting a sandbox, the cleanup run working a set of subscriptions. A claim
 * is never released; it goes stale when its holder ends, and the next claimant takes it over
 * with a conditional write, so a crashed holder never leaves it taken for ever.
 */
import { TransientError } from '../apiErrors.js';
import { RecordConflictError } from '../errors.js';
import type { RecordStore } from './RecordStore.js';

export type ClaimOutcome<T> =
  /** The claim is `value`'s now (or already was, for a retry by the same holder). */
  | { won: true }
  /** An active holder has it: the record as it stands. */
  | { won: false; held: T };

export interface ClaimOptions<T> {
  /** The holder's identity inside a claim record (an operation id, a run id). */
  holderOf: (claim: T) => string;
  /** Whether the holder is still at work; a claim whose holder ended is free. */
  isActive: (claim: T) => Promise<boolean>;
}

const ATTEMPTS = 5;

/**
 * Claims `key` for `value`: creates it, or takes it over from a holder that has ended. Two
 * claimants racing for a free or stale claim: exactly one wins, the other is told who holds it.
 *
 * @example
 * const outcome = await claimRecord(records, recordKeys.teardown(sub, 'ana-1'), { operationId }, {
 *   holderOf: (c) => c.operationId,
 *   isActive: async (c) => !isTerminal((await getOperation(c.operationId)).status),
 * });
 * if (!outcome.won) return outcome.held.operationId; // the teardown already running
 */
export async function claimRecord<T>(
  records: RecordStore,
  key: string,
  value: T,
  options: ClaimOptions<T>,
): Promise<ClaimOutcome<T>> {
  const holder = options.holderOf(value);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    try {
      await records.create(key, value);
      return { won: true };
    } catch (error) {
      if (!(error instanceof RecordConflictError)) throw error;
    }
    const held = await records.get<T>(key);
    if (!held) continue;
    if (options.holderOf(held.value) === holder) return { won: true };
    if (await options.isActive(held.value)) return { won: false, held: held.value };
    try {
      await records.replace(key, value, held.etag);
      return { won: true };
    } catch (error) {
      // Someone else took the stale claim first: read again to learn who.
      if (!(error instanceof RecordConflictError)) throw error;
    }
  }
  throw new TransientError(`The claim '${key}' kept changing; retry later.`, {
    code: 'ClaimContended',
    retryAfterMs: 1_000,
  });
}
