import { correlatePowerMessage } from '../../services/power/PowerMessage.js';
import { powerPorts } from '../../services/power/PowerPorts.js';
import { recordPoisonedPowerMessage } from '../../services/power/recordPoisonedPowerMessage.js';
import { queueFunction, registerQueueFunction } from '../../shared/functions/queueFunction.js';
import { poisonQueueName, queueNames } from '../../shared/queues/queueNames.js';

/** `power-requests-poison`: a message the worker gave up on ends its VM (or run) as failed. */
export const powerPoison = queueFunction('powerPoison', {
  queueName: poisonQueueName(queueNames.powerRequests),
  ports: powerPorts,
  correlate: correlatePowerMessage,
  async handle(message, ports, delivery) {
    await recordPoisonedPowerMessage(message, delivery.dequeueCount, ports);
  },
});

registerQueueFunction(powerPoison);
