import { recordKeys } from '../../shared/records/recordKeys.js';
import { updateRecord } from '../../shared/records/updateRecord.js';
import { retryPolicies, withRetry } from '../../shared/retry.js';
import { EnqueueFailedError } from './errors.js';
import { type Operation, transitionOperation } from './Operation.js';
import type { ProvisioningDeps } from './ProvisioningDeps.js';
import { writeOwnerWebhook } from './writeOwnerWebhook.js';

/**
 * Sends the operation's message; when that fails for good, marks the operation failed (if it is
 * still queued: a send whose reply was lost may have reached a worker already) so it is not left
 * queued with no message, and throws `EnqueueFailedError`. A second message for the same
 * operation is harmless, since the worker skips what is done, so retrying the send is safe.
 *
 * @example
 * await enqueueOperation(deps, operation); // or EnqueueFailedError, with the operation failed
 */
export async function enqueueOperation(
  deps: ProvisioningDeps,
  operation: Operation,
): Promise<void> {
  const { kind } = operation;
  // An adoption is written done: nothing for the worker to carry out.
  if (kind === 'adoption') return;
  try {
    await withRetry(() => deps.queue.send({ operationId: operation.id, kind }), {
      ...retryPolicies.enqueue,
      clock: deps.clock,
    });
  } catch (cause) {
    deps.logger.error('could not queue the operation; marking it failed', {
      operationId: operation.id,
      error: cause,
    });
    const reason = {
      code: 'EnqueueFailed',
      message: 'The request was accepted but could not be queued. Send it again.',
    };
    await updateRecord<Operation>(deps.records, recordKeys.operation(operation.id), (current) =>
      current.status === 'queued'
        ? transitionOperation(current, 'failed', deps.clock.now(), reason)
        : undefined,
    ).catch((error: unknown) => {
      deps.logger.error('could not mark the unqueued operation failed', { error });
    });
    throw new EnqueueFailedError(operation.id, cause);
  }
}

/**
 * Sends the message of an operation that is still `queued` after the request that accepted it
 * stopped short (a retry with its key finds it, or it waited too long): the owner's webhook first,
 * since that request may have written the operation but not the webhook, then the message.
 *
 * @example
 * if (earlier.status === 'queued') await resumeQueuedOperation(deps, earlier);
 */
export async function resumeQueuedOperation(
  deps: ProvisioningDeps,
  operation: Operation,
): Promise<void> {
  await writeOwnerWebhook(deps, operation);
  await enqueueOperation(deps, operation);
}
