import { fanOutEvent } from '../../services/notifications/fanOutEvent.js';
import { correlateNotificationMessage } from '../../services/notifications/NotificationMessage.js';
import { notificationPorts } from '../../services/notifications/NotificationPorts.js';
import { queueFunction, registerQueueFunction } from '../../shared/functions/queueFunction.js';
import { queueNames } from '../../shared/queues/queueNames.js';

/** `notifications`: each event becomes one delivery per receiver. */
export const notificationWorker = queueFunction('notificationWorker', {
  queueName: queueNames.notifications,
  ports: notificationPorts,
  correlate: correlateNotificationMessage,
  async handle(message, ports) {
    await fanOutEvent(message, ports);
  },
});

registerQueueFunction(notificationWorker);
