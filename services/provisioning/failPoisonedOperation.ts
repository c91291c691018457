import { recordAudit } from '../../shared/audit/recordAudit.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import { updateRecord } from '../../shared/records/updateRecord.js';
import { isTerminal, type Operation, transitionOperation } from './Operation.js';
import type { ProvisioningDeps } from './ProvisioningDeps.js';
import { provisionMessageSchema } from './ProvisionMessage.js';
import { emitOutcome } from './processOperationMessage.js';

/**
 * Marks the operation of a message that landed in `provision-requests-poison` as failed, with
 * the last transient error the worker saw, so no operation stays `running` for ever.
 *
 * @example
 * await failPoisonedOperation(deps, message, { dequeueCount: 5 });
 * // operation.error: { code: 'RetriesExhausted', message: '… last error: TooManyRequests: …' }
 */
export async function failPoisonedOperation(
  deps: Pick<ProvisioningDeps, 'records' | 'clock' | 'logger' | 'events'>,
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
  if (saved.value.status === 'failed' && saved.value.error?.code === 'RetriesExhausted') {
    await recordAudit(
      deps.records,
      {
        at: deps.clock.now().toISOString(),
        actor: 'worker',
        action: 'operation.failed',
        subscriptionId: saved.value.subscriptionId,
        resourceGroup: saved.value.sandbox,
        operationId: saved.value.id,
        details: { error: saved.value.error },
      },
      saved.value.id,
    );
    await emitOutcome(deps, saved.value);
  }
  return saved.value;
}
