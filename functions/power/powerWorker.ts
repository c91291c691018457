import { handlePowerMessage } from '../../services/power/handlePowerMessage.js';
import { correlatePowerMessage } from '../../services/power/PowerMessage.js';
import { powerPorts } from '../../services/power/PowerPorts.js';
import { queueFunction, registerQueueFunction } from '../../shared/functions/queueFunction.js';
import { queueNames } from '../../shared/queues/queueNames.js';

/** `power-requests`: plans runs and stops or starts their VMs; transient failures are retried by the queue. */
export const powerWorker = queueFunction('powerWorker', {
  queueName: queueNames.powerRequests,
  ports: powerPorts,
  correlate: correlatePowerMessage,
  async handle(message, ports) {
    await handlePowerMessage(message, ports);
  },
});

registerQueueFunction(powerWorker);
