import { app } from '@azure/functions';
import { handleCleanupMessage } from '../../services/cleanup/handleCleanupMessage.js';
import { queueNames } from '../../shared/queues/queueNames.js';
import { cleanupInvocation } from './cleanupInvocation.js';

/** `cleanup-requests`: plans runs and applies their items; transient failures are retried by the queue. */
app.storageQueue('cleanupWorker', {
  queueName: queueNames.cleanupRequests,
  connection: 'AzureWebJobsStorage',
  handler: async (message, context) => {
    const { policy, ports } = await cleanupInvocation(context, {
      messageId: context.triggerMetadata?.id,
      dequeueCount: context.triggerMetadata?.dequeueCount,
    });
    await handleCleanupMessage(message, policy, ports);
  },
});
