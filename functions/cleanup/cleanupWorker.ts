import { correlateCleanupMessage } from '../../services/cleanup/CleanupMessage.js';
import { cleanupContext } from '../../services/cleanup/CleanupPorts.js';
import { handleCleanupMessage } from '../../services/cleanup/handleCleanupMessage.js';
import { queueFunction, registerQueueFunction } from '../../shared/functions/queueFunction.js';
import { queueNames } from '../../shared/queues/queueNames.js';

/** `cleanup-requests`: plans runs and applies their items; transient failures are retried by the queue. */
export const cleanupWorker = queueFunction('cleanupWorker', {
  queueName: queueNames.cleanupRequests,
  ports: cleanupContext,
  correlate: correlateCleanupMessage,
  async handle(message, { ports, policy, settings }) {
    await handleCleanupMessage(message, policy, ports, { queueAhead: settings.queueAhead });
  },
});

registerQueueFunction(cleanupWorker);
