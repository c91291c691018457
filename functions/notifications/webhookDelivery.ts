import { deliverWebhook } from '../../services/notifications/deliverWebhook.js';
import { correlateNotificationMessage } from '../../services/notifications/NotificationMessage.js';
import { notificationPorts } from '../../services/notifications/NotificationPorts.js';
import { queueFunction, registerQueueFunction } from '../../shared/functions/queueFunction.js';
import { queueNames } from '../../shared/queues/queueNames.js';

/** `notification-deliveries`: sends one signed webhook; retries and poisoning are the service's. */
export const webhookDelivery = queueFunction('webhookDelivery', {
  queueName: queueNames.notificationDeliveries,
  ports: notificationPorts,
  correlate: correlateNotificationMessage,
  async handle(message, ports) {
    await deliverWebhook(message, ports);
  },
});

registerQueueFunction(webhookDelivery);
