import { failPoisonedOperation } from '../../services/provisioning/failPoisonedOperation.js';
import { provisioningPorts } from '../../services/provisioning/ProvisioningDeps.js';
import { correlateProvisionMessage } from '../../services/provisioning/ProvisionMessage.js';
import { queueFunction, registerQueueFunction } from '../../shared/functions/queueFunction.js';
import { poisonQueueName, queueNames } from '../../shared/queues/queueNames.js';

/** Queue `provision-requests-poison`: marks the message's operation failed, with the reason. */
export const provisionPoison = queueFunction('provisionPoison', {
  queueName: poisonQueueName(queueNames.provisionRequests),
  ports: provisioningPorts,
  correlate: correlateProvisionMessage,
  async handle(message, ports, delivery) {
    await failPoisonedOperation(ports, message, delivery);
  },
});

registerQueueFunction(provisionPoison);
