/**
 * Event Grid set up the way Azure's users set it up, through ARM with the real SDK: a storage
 * account, the subscription's system topic, and an event subscription to a queue of that account,
 * which Azurite serves. Also reads the queue as a queue trigger would.
 */
import type { EventSubscription, EventSubscriptionFilter, RetryPolicy } from '@azure/arm-eventgrid';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import type { RunningAzurite } from '@sandbox-automation/functions-host/testing';
import type { EventGridEvent } from '../../src/index.js';
import type { TestEmulator } from '../../src/testing/startTestEmulator.js';
import { type armClients, POLL } from './armClients.js';

export const SINK_GROUP = 'rg-events';
export const SINK_ACCOUNT = 'eventsink';
export const SYSTEM_TOPIC = 'subscription-events';

export const accountId = (arm: TestEmulator) =>
  `/subscriptions/${arm.subscriptionId}/resourceGroups/${SINK_GROUP}/providers/Microsoft.Storage/storageAccounts/${SINK_ACCOUNT}`;

/** The group, storage account and system topic of the subscription that every sink shares. */
export async function createSystemTopic(clients: ReturnType<typeof armClients>, arm: TestEmulator) {
  await clients.resources.resourceGroups.createOrUpdate(SINK_GROUP, { location: 'westeurope' });
  await clients.storage.storageAccounts.beginCreateAndWait(
    SINK_GROUP,
    SINK_ACCOUNT,
    { location: 'westeurope', kind: 'StorageV2', sku: { name: 'Standard_LRS' } },
    POLL,
  );
  return clients.eventGrid.systemTopics.beginCreateOrUpdateAndWait(
    SINK_GROUP,
    SYSTEM_TOPIC,
    {
      location: 'global',
      topicType: 'Microsoft.Resources.Subscriptions',
      source: `/subscriptions/${arm.subscriptionId}`,
    },
    POLL,
  );
}

export interface QueueSubscription {
  name: string;
  queue: string;
  filter?: EventSubscriptionFilter;
  retryPolicy?: RetryPolicy;
  deadLetterContainer?: string;
  /** Create the queue in Azurite first (default), or leave it missing. */
  createQueue?: boolean;
  extra?: Partial<EventSubscription>;
}

/** An event subscription of the system topic to a queue, as `az eventgrid … create` makes one. */
export async function subscribeQueue(
  clients: ReturnType<typeof armClients>,
  arm: TestEmulator,
  azurite: RunningAzurite,
  subscription: QueueSubscription,
) {
  if (subscription.createQueue !== false) {
    await QueueServiceClient.fromConnectionString(azurite.connectionString)
      .getQueueClient(subscription.queue)
      .createIfNotExists();
  }
  return clients.eventGrid.systemTopicEventSubscriptions.beginCreateOrUpdateAndWait(
    SINK_GROUP,
    SYSTEM_TOPIC,
    subscription.name,
    {
      destination: {
        endpointType: 'StorageQueue',
        resourceId: accountId(arm),
        queueName: subscription.queue,
      },
      ...(subscription.filter ? { filter: subscription.filter } : {}),
      ...(subscription.retryPolicy ? { retryPolicy: subscription.retryPolicy } : {}),
      ...(subscription.deadLetterContainer
        ? {
            deadLetterDestination: {
              endpointType: 'StorageBlob',
              resourceId: accountId(arm),
              blobContainerName: subscription.deadLetterContainer,
            },
          }
        : {}),
      ...subscription.extra,
    },
    POLL,
  );
}

/** A queue message as the Functions queue trigger decodes it (base64, the default encoding). */
const decode = (text: string) => JSON.parse(Buffer.from(text, 'base64').toString('utf8'));

/** Takes every message now in the queue: the events, in queue order. */
export async function takeEvents(
  azurite: RunningAzurite,
  queue: string,
): Promise<EventGridEvent[]> {
  const client = QueueServiceClient.fromConnectionString(azurite.connectionString).getQueueClient(
    queue,
  );
  const events: EventGridEvent[] = [];
  for (;;) {
    const { receivedMessageItems } = await client.receiveMessages({ numberOfMessages: 32 });
    if (receivedMessageItems.length === 0) return events;
    for (const message of receivedMessageItems) {
      events.push(decode(message.messageText));
      await client.deleteMessage(message.messageId, message.popReceipt);
    }
  }
}

/** The dead-lettered events in a container: each blob holds a JSON array of them. */
export async function deadLetteredEvents(azurite: RunningAzurite, container: string) {
  const client = BlobServiceClient.fromConnectionString(
    azurite.connectionString,
  ).getContainerClient(container);
  const found: Array<{ name: string; events: Array<Record<string, unknown>> }> = [];
  for await (const blob of client.listBlobsFlat()) {
    const content = await client.getBlobClient(blob.name).downloadToBuffer();
    found.push({ name: blob.name, events: JSON.parse(content.toString('utf8')) });
  }
  return found;
}
