import { correlateCleanupMessage } from '../../services/cleanup/CleanupMessage.js';
import { cleanupContext } from '../../services/cleanup/CleanupPorts.js';
import { recordPoisonedCleanupMessage } from '../../services/cleanup/recordPoisonedCleanupMessage.js';
import { queueFunction, registerQueueFunction } from '../../shared/functions/queueFunction.js';
import { poisonQueueName, queueNames } from '../../shared/queues/queueNames.js';

/** `cleanup-requests-poison`: a message the worker gave up on ends its item (or run) as failed. */
export const cleanupPoison = queueFunction('cleanupPoison', {
  queueName: poisonQueueName(queueNames.cleanupRequests),
  ports: cleanupContext,
  correlate: correlateCleanupMessage,
  async handle(message, { ports }, delivery) {
    await recordPoisonedCleanupMessage(message, delivery.dequeueCount, ports);
  },
});

registerQueueFunction(cleanupPoison);
