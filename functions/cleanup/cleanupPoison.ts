import { app } from '@azure/functions';
import { recordPoisonedCleanupMessage } from '../../services/cleanup/recordPoisonedCleanupMessage.js';
import { poisonQueueName, queueNames } from '../../shared/queues/queueNames.js';
import { cleanupInvocation } from './cleanupInvocation.js';

/** `cleanup-requests-poison`: a message the worker gave up on ends its item (or run) as failed. */
app.storageQueue('cleanupPoison', {
  queueName: poisonQueueName(queueNames.cleanupRequests),
  connection: 'AzureWebJobsStorage',
  handler: async (message, context) => {
    const { ports } = await cleanupInvocation(context, { messageId: context.triggerMetadata?.id });
    await recordPoisonedCleanupMessage(message, undefined, ports);
  },
});
