import { app, type InvocationContext } from '@azure/functions';
import { processOperationMessage } from '../../services/provisioning/processOperationMessage.js';
import { runWithCorrelation } from '../../shared/correlation.js';
import { queueNames } from '../../shared/queues/queueNames.js';
import { provisioningDeps } from './provisioningDeps.js';
import type { DepsProvider } from './sandboxHttpHandler.js';

/**
 * Queue `provision-requests`: carries out one operation. Throwing (a transient failure) leaves
 * the message to be delivered again; returning completes it.
 */
export const provisionWorkerHandler =
  (getDeps: DepsProvider) => async (message: unknown, context: InvocationContext) => {
    const operationId = (message as { operationId?: unknown } | null)?.operationId;
    const correlation = {
      invocationId: context.invocationId,
      ...(typeof operationId === 'string' ? { operationId } : {}),
    };
    await runWithCorrelation(correlation, async () =>
      processOperationMessage(await getDeps(context), message),
    );
  };

app.storageQueue('provisionWorker', {
  queueName: queueNames.provisionRequests,
  connection: 'AzureWebJobsStorage',
  handler: provisionWorkerHandler(provisioningDeps),
});
