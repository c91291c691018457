import { recordAudit } from '../../shared/audit/recordAudit.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import { updateRecord } from '../../shared/records/updateRecord.js';
import { applyFailedSandboxPolicy, needsFailedSandboxPolicy } from './applyFailedSandboxPolicy.js';
import { isTerminal, type Operation, transitionOperation } from './Operation.js';
import type { ProvisioningDeps } from './ProvisioningDeps.js';
import { provisionMessageSchema } from './ProvisionMessage.js';
import { emitOutcome } from './processOperationMessage.js';

/**
 * Marks the operation of a message that landed in `provision-requests-poison` as failed, with
 * the last transient error the worker saw, so no operation stays `running` for ever; a failed
 * provisioning then has its group settled by the failed-sandbox policy (a transient failure of
 * that is thrown, for the poison queue to deliver the message again).
 *
 * @example
 * await failPoisonedOperation(deps, message, { dequeueCount: 5 });
 * // operation.error: { code: 'RetriesExhausted', message: '… last error: TooManyRequests: …' }
 */
export async function failPoisonedOperation(
  deps: ProvisioningDeps,
  message: unknown,
  meta: { dequeueCount?: number } = {},
): Promise<Operation | undefined> {
  const parsed = provisionMessageSchema.safeParse(message);
  if (!parsed.success) {
    deps.logger.error('malformed message in provision-requests-poison', { message });
    return undefined;
  }
  const key = recordKeys.operation(parsed.data.operationId);
  if (!(await deps.records.get<Operation>(key))) {
    deps.logger.error('poisoned message names no operation', {
      operationId: parsed.data.operationId,
    });
    return undefined;
  }
  const saved = await updateRecord<Operation>(deps.records, key, (op) => {
    if (isTerminal(op.status)) return undefined;
    const last = op.lastTransientError;
    const tries = meta.dequeueCount ?? op.attempts;
    return transitionOperation(op, 'failed', deps.clock.now(), {
      code: 'RetriesExhausted',
      message: `The work item failed ${tries} times and was moved to provision-requests-poison${
        last ? `; last error: ${last.code}: ${last.message}` : ''
      }.`,
    });
  });
  // The group it leaves is settled first, so the record and the event say what became of it.
  let operation = saved.value;
  let unsettled: unknown;
  if (needsFailedSandboxPolicy(operation)) {
    try {
      const partialGroup = await applyFailedSandboxPolicy(deps, operation);
      operation = (
        await updateRecord<Operation>(deps.records, key, (op) =>
          op.partialGroup ? undefined : { ...op, partialGroup },
        )
      ).value;
      deps.logger.info('failed sandbox settled', { ...partialGroup });
    } catch (error) {
      unsettled = error;
    }
  }
  if (operation.status === 'failed' && operation.error?.code === 'RetriesExhausted') {
    await recordAudit(
      deps.records,
      {
        at: deps.clock.now().toISOString(),
        actor: 'worker',
        action: 'operation.failed',
        subscriptionId: operation.subscriptionId,
        resourceGroup: operation.sandbox,
        operationId: operation.id,
        details: {
          error: operation.error,
          ...(operation.partialGroup ? { partialGroup: operation.partialGroup } : {}),
        },
      },
      operation.id,
    );
    await emitOutcome(deps, operation);
  }
  // Transient: the poison queue delivers the message again, and the group is settled then.
  if (unsettled !== undefined) throw unsettled;
  return operation;
}
