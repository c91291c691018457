import { recordAudit } from '../../shared/audit/recordAudit.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import { updateRecord } from '../../shared/records/updateRecord.js';
import { applyFailedSandboxPolicy, needsFailedSandboxPolicy } from './applyFailedSandboxPolicy.js';
import { isTerminal, type Operation, transitionOperation } from './Operation.js';
import type { ProvisioningDeps } from './ProvisioningDeps.js';
import { provisionMessageSchema } from './ProvisionMessage.js';

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
  }
  if (!needsFailedSandboxPolicy(saved.value)) return saved.value;
  const partialGroup = await applyFailedSandboxPolicy(deps, saved.value);
  const settled = await updateRecord<Operation>(deps.records, key, (op) =>
    op.partialGroup ? undefined : { ...op, partialGroup },
  );
  deps.logger.info('failed sandbox settled', { ...partialGroup });
  return settled.value;
}
