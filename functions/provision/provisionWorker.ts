import { provisioningPorts } from '../../services/provisioning/ProvisioningDeps.js';
import { correlateProvisionMessage } from '../../services/provisioning/ProvisionMessage.js';
import { processOperationMessage } from '../../services/provisioning/processOperationMessage.js';
import { queueFunction, registerQueueFunction } from '../../shared/functions/queueFunction.js';
import { queueNames } from '../../shared/queues/queueNames.js';

/**
 * Queue `provision-requests`: carries out one operation. Throwing (a transient failure) leaves
 * the message to be delivered again; returning completes it.
 */
export const provisionWorker = queueFunction('provisionWorker', {
  queueName: queueNames.provisionRequests,
  ports: provisioningPorts,
  correlate: correlateProvisionMessage,
  async handle(message, ports) {
    await processOperationMessage(ports, message);
  },
});

registerQueueFunction(provisionWorker);
