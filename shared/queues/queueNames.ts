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
  /** Lease warnings and other notices for people. */
  notifications: 'notifications',
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
