/**
 * The one teardown of a sandbox. Deleting a sandbox claims it (`recordKeys.teardown`) for one
 * teardown operation until that operation ends, so a repeated `DELETE` answers with the teardown
 * already under way (and ARM sees one delete), and nothing else may change the sandbox meanwhile.
 *
 * The claim carries the operation as it was first written. A requester that stopped after
 * claiming, before writing the operation, is finished by the next one: the operation is written
 * from the claim and, if its message never left, is sent again once it counts as stranded.
 */

import { RecordConflictError } from '../../shared/errors.js';
import { claimRecord } from '../../shared/records/claimRecord.js';
import type { RecordStore } from '../../shared/records/RecordStore.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import { isTerminal, type Operation } from './Operation.js';
import type { ProvisioningDeps } from './ProvisioningDeps.js';
import { resendStrandedOperation } from './resendStrandedOperation.js';

/** `teardowns/{subscription}/{name}.json`. */
export interface TeardownClaim {
  operationId: string;
  /** The operation as its requester first wrote it. */
  operation: Operation;
}

export type TeardownClaimOutcome =
  /** `operation` is the sandbox's teardown now: the caller writes it, audits and queues it. */
  | { claimed: true }
  /** Another teardown holds the sandbox: the operation as it stands. */
  | { claimed: false; operation: Operation };

/**
 * Claims the sandbox for `operation` (a new teardown), unless a teardown that has not ended
 * holds it.
 *
 * @example
 * const outcome = await claimTeardown(deps, operation);
 * if (!outcome.claimed) return outcome.operation; // 202 with the same Location as before
 */
export async function claimTeardown(
  deps: ProvisioningDeps,
  operation: Operation,
): Promise<TeardownClaimOutcome> {
  const outcome = await claimRecord<TeardownClaim>(
    deps.records,
    recordKeys.teardown(operation.subscriptionId, operation.sandbox),
    { operationId: operation.id, operation },
    {
      holderOf: (claim) => claim.operationId,
      isActive: (claim) => isClaimActive(deps.records, claim),
    },
  );
  if (outcome.won) return { claimed: true };
  return { claimed: false, operation: await finishClaimed(deps, outcome.held) };
}

/**
 * The teardown that holds the sandbox and has not ended, if any.
 *
 * @example
 * const running = await activeTeardown(deps, 'ana-1');
 * if (running) throw new SandboxBeingDeletedError('ana-1', running.id);
 */
export async function activeTeardown(
  deps: ProvisioningDeps,
  name: string,
): Promise<Operation | undefined> {
  const claim = await deps.records.get<TeardownClaim>(
    recordKeys.teardown(deps.settings.subscriptionId, name),
  );
  if (!claim || !(await isClaimActive(deps.records, claim.value))) return undefined;
  return finishClaimed(deps, claim.value);
}

/**
 * Whether a teardown holds the sandbox `name` of `subscriptionId` and has not ended: reads only,
 * for features that must not act on a sandbox being torn down.
 *
 * @example
 * if (await teardownUnderway(records, subscriptionId, 'ana-1')) return; // the teardown accounts for it
 */
export async function teardownUnderway(
  records: RecordStore,
  subscriptionId: string,
  name: string,
): Promise<boolean> {
  const claim = await records.get<TeardownClaim>(recordKeys.teardown(subscriptionId, name));
  return claim !== undefined && (await isClaimActive(records, claim.value));
}

/** A claim holds while its operation has not ended, or has yet to be written. */
async function isClaimActive(records: RecordStore, claim: TeardownClaim): Promise<boolean> {
  const stored = await records.get<Operation>(recordKeys.operation(claim.operationId));
  return !stored || !isTerminal(stored.value.status);
}

/** The claimed operation as it stands, written from the claim when its requester did not. */
async function finishClaimed(deps: ProvisioningDeps, claim: TeardownClaim): Promise<Operation> {
  const key = recordKeys.operation(claim.operationId);
  let stored = await deps.records.get<Operation>(key);
  if (!stored) {
    try {
      stored = await deps.records.create(key, claim.operation);
    } catch (error) {
      if (!(error instanceof RecordConflictError)) throw error;
      stored = await deps.records.get<Operation>(key);
    }
  }
  return resendStrandedOperation(deps, stored?.value ?? claim.operation);
}
