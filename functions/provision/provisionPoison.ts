import { app, type InvocationContext } from '@azure/functions';
import { failPoisonedOperation } from '../../services/provisioning/failPoisonedOperation.js';
import { poisonQueueName, queueNames } from '../../shared/queues/queueNames.js';
import { provisioningDeps } from './provisioningDeps.js';
import type { DepsProvider } from './sandboxHttpHandler.js';

/** Queue `provision-requests-poison`: marks the message's operation failed, with the reason. */
export const provisionPoisonHandler =
  (getDeps: DepsProvider) => async (message: unknown, context: InvocationContext) => {
    const dequeueCount = Number(context.triggerMetadata?.dequeueCount);
    await failPoisonedOperation(await getDeps(context), message, {
      ...(Number.isFinite(dequeueCount) && dequeueCount > 0 ? { dequeueCount } : {}),
    });
  };

app.storageQueue('provisionPoison', {
  queueName: poisonQueueName(queueNames.provisionRequests),
  connection: 'AzureWebJobsStorage',
  handler: provisionPoisonHandler(provisioningDeps),
});
