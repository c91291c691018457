import { EventGridManagementClient, type SystemTopic } from '@azure/arm-eventgrid';
import { ResourceManagementClient } from '@azure/arm-resources';
import { StorageManagementClient } from '@azure/arm-storage';
import type { TokenCredential } from '@azure/core-auth';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { trustLocalCa } from './trustLocalCa.js';

/** The event types an app that reacts to changes subscribes to: the success kinds. */
export const SUCCESS_EVENT_TYPES = [
  'Microsoft.Resources.ResourceWriteSuccess',
  'Microsoft.Resources.ResourceDeleteSuccess',
  'Microsoft.Resources.ResourceActionSuccess',
];

export interface AzureEventsRequest {
  /** The emulator's ARM endpoint and the subscription whose events to deliver. */
  endpoint: string;
  subscriptionId: string;
  /** Who sets it up: a caller allowed to write groups, storage accounts and Event Grid resources. */
  credential: TokenCredential;
  /** The emulator's CA: the SDK clients trust it for these calls only. */
  ca: Buffer;
  /**
   * The storage account the queue is in: its ARM name, which the emulator maps to this
   * connection string (Azurite's), where the queue and dead-letter container are created.
   */
  storage: { accountName: string; connectionString: string };
  queueName: string;
  /** Default: the three success kinds. */
  includedEventTypes?: string[];
  /** Where the ARM side lives: default `rg-sandbox-automation` in westeurope. */
  resourceGroup?: string;
  location?: string;
}

/** Where Azure's events for the subscription go, as `.local/runtime.json` lists it. */
export interface AzureEventsSubscription {
  queueName: string;
  deadLetterContainer: string;
  systemTopicId: string;
  eventSubscriptionId: string;
  /** The storage account's ARM id: the destination's `resourceId`. */
  storageAccountId: string;
}

const SYSTEM_TOPIC = 'subscription-events';
const POLL = { updateIntervalInMs: 100 };

/** A GET that answers undefined for 404, as a create-if-missing needs. */
async function existing<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

/**
 * Subscribes a queue to the subscription's Azure Resource Manager events the way it is done in
 * Azure, through ARM with the real SDK clients: a group, the storage account (Azurite's account,
 * by name), the subscription's system topic (`Microsoft.Resources.Subscriptions`, global) and an
 * event subscription to the queue with the success event types and a dead-letter container.
 * Creates only what is missing, so a second start writes nothing and raises no event.
 *
 * @example
 * const events = await subscribeToAzureEvents({ endpoint, subscriptionId, credential, ca, storage, queueName: 'azure-events' });
 */
export async function subscribeToAzureEvents(
  request: AzureEventsRequest,
): Promise<AzureEventsSubscription> {
  const { endpoint, subscriptionId, credential, storage, queueName } = request;
  const group = request.resourceGroup ?? 'rg-sandbox-automation';
  const location = request.location ?? 'westeurope';
  const deadLetterContainer = `${queueName}-deadletter`;
  const options = {
    endpoint,
    additionalPolicies: [{ policy: trustLocalCa(request.ca), position: 'perCall' as const }],
  };
  const resources = new ResourceManagementClient(credential, subscriptionId, options);
  const accounts = new StorageManagementClient(credential, subscriptionId, options);
  const eventGrid = new EventGridManagementClient(credential, subscriptionId, options);

  // The data plane first: Event Grid neither creates the queue nor the container.
  await QueueServiceClient.fromConnectionString(storage.connectionString)
    .getQueueClient(queueName)
    .createIfNotExists();
  await BlobServiceClient.fromConnectionString(storage.connectionString)
    .getContainerClient(deadLetterContainer)
    .createIfNotExists();

  if (!(await existing(resources.resourceGroups.get(group)))) {
    await resources.resourceGroups.createOrUpdate(group, { location });
  }
  const account =
    (await existing(accounts.storageAccounts.getProperties(group, storage.accountName))) ??
    (await accounts.storageAccounts.beginCreateAndWait(
      group,
      storage.accountName,
      { location, kind: 'StorageV2', sku: { name: 'Standard_LRS' } },
      POLL,
    ));
  const storageAccountId = account.id as string;

  const source = `/subscriptions/${subscriptionId}`;
  let topic: SystemTopic | undefined = await existing(
    eventGrid.systemTopics.get(group, SYSTEM_TOPIC),
  );
  if (topic?.provisioningState !== 'Succeeded') {
    topic = await eventGrid.systemTopics.beginCreateOrUpdateAndWait(
      group,
      SYSTEM_TOPIC,
      { location: 'global', topicType: 'Microsoft.Resources.Subscriptions', source },
      POLL,
    );
  }

  const types = request.includedEventTypes ?? SUCCESS_EVENT_TYPES;
  const current = await existing(
    eventGrid.systemTopicEventSubscriptions.get(group, SYSTEM_TOPIC, queueName),
  );
  const destination = current?.destination as
    | { resourceId?: string; queueName?: string }
    | undefined;
  const upToDate =
    current?.provisioningState === 'Succeeded' &&
    destination?.resourceId?.toLowerCase() === storageAccountId.toLowerCase() &&
    destination.queueName === queueName &&
    JSON.stringify(current.filter?.includedEventTypes ?? []) === JSON.stringify(types);
  const subscription = upToDate
    ? current
    : await eventGrid.systemTopicEventSubscriptions.beginCreateOrUpdateAndWait(
        group,
        SYSTEM_TOPIC,
        queueName,
        {
          destination: {
            endpointType: 'StorageQueue',
            resourceId: storageAccountId,
            queueName,
          },
          filter: { includedEventTypes: types },
          deadLetterDestination: {
            endpointType: 'StorageBlob',
            resourceId: storageAccountId,
            blobContainerName: deadLetterContainer,
          },
        },
        POLL,
      );
  return {
    queueName,
    deadLetterContainer,
    systemTopicId: topic.id as string,
    eventSubscriptionId: subscription?.id as string,
    storageAccountId,
  };
}
