import { recordKeys } from '../../shared/records/recordKeys.js';
import { updateRecord } from '../../shared/records/updateRecord.js';
import { resumeQueuedOperation } from './enqueueOperation.js';
import { EnqueueFailedError } from './errors.js';
import type { Operation } from './Operation.js';
import type { ProvisioningDeps } from './ProvisioningDeps.js';

/** How long an operation may stay `queued` before its message is presumed never sent. */
export const STRANDED_AFTER_MS = 2 * 60_000;

/**
 * Sends again the message of an operation still `queued` long after a worker would have taken
 * it: the process that accepted the request may have died between writing the operation and
 * queueing it. A second message is harmless, since the worker skips what is done. The record's
 * `updatedAt` moves on, so callers polling the operation re-send at most once per interval.
 * Returns the operation as it now stands.
 *
 * @example
 * const current = await resendStrandedOperation(deps, stored); // queued for 10 min: re-sent
 */
export async function resendStrandedOperation(
  deps: ProvisioningDeps,
  operation: Operation,
): Promise<Operation> {
  const now = deps.clock.now();
  const stranded = (op: Operation) =>
    op.status === 'queued' && now.getTime() - Date.parse(op.updatedAt) >= STRANDED_AFTER_MS;
  if (!stranded(operation)) return operation;
  let resend = false;
  const touched = await updateRecord<Operation>(
    deps.records,
    recordKeys.operation(operation.id),
    (op) => {
      // Judged on the latest read: someone else may have re-sent it, or a worker taken it.
      resend = stranded(op);
      return resend ? { ...op, updatedAt: now.toISOString() } : undefined;
    },
  );
  if (!resend) return touched.value;
  deps.logger.warn('operation still queued long after it was accepted; sending it again', {
    operationId: operation.id,
    queuedSince: operation.updatedAt,
  });
  try {
    await resumeQueuedOperation(deps, touched.value);
  } catch (error) {
    if (!(error instanceof EnqueueFailedError)) throw error;
  }
  return (
    (await deps.records.get<Operation>(recordKeys.operation(operation.id)))?.value ?? touched.value
  );
}
