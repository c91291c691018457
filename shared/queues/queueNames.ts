/**
 * The storage queues the app uses. They are part of the deployment, not settings: the trigger
 * bindings, the infrastructure and the producers must agree on them.
 *
 * @example
 * app.storageQueue('provisionWorker', { queueName: queueNames.provisionRequests, connection: 'AzureWebJobsStorage', handler });
 */
export const queueNames = {
  /** One message per sandbox operation (create or teardown), read by the provisioning worker. */
  provisionRequests: 'provision-requests',
  /** One message per resource group in an applied cleanup run. */
  cleanupRequests: 'cleanup-requests',
  /** Events for people (`AppEvent`), fanned out to their receivers. */
  notifications: 'notifications',
  /** One message per event and receiver: a webhook to send, with its try count. */
  notificationDeliveries: 'notification-deliveries',
  /**
   * Deliveries given up, each with its reason: the worker puts them here once its tries are used
   * up (or a receiver refuses for good), and the host does after `maxDequeueCount` crashes.
   */
  notificationDeliveriesPoison: 'notification-deliveries-poison',
  /** Power runs: plan messages and one message per VM to stop or start. */
  powerRequests: 'power-requests',
  /** Azure Resource Manager's events about the app's subscriptions, from Event Grid (one per message). */
  azureEvents: 'azure-events',
  /** Messages of `azure-events` that are no event, each with the reason (and the host's given-up ones). */
  azureEventsPoison: 'azure-events-poison',
} as const;

export type QueueName = (typeof queueNames)[keyof typeof queueNames];

/** Where the Functions host moves a message after `maxDequeueCount` failed attempts. */
export function poisonQueueName(queue: QueueName): `${QueueName}-poison` {
  return `${queue}-poison`;
}
