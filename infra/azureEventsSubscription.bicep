// The event subscription that puts Azure Resource Manager's events into the app's queue: the
// success kinds, one event per message (the Functions queue trigger reads them as they are),
// delivered and dead-lettered with the system topic's identity. That identity must hold Storage
// Queue Data Message Sender on the queue and Storage Blob Data Contributor on the dead-letter
// container before this is created (main.bicep assigns both first).
targetScope = 'resourceGroup'

@description('The system topic (azureEventsTopic.bicep), in this resource group.')
param topicName string

@description('Resource id of the storage account that holds the queue and the dead-letter container.')
param storageAccountId string

param queueName string

param deadLetterContainer string

@description('The ARM event types to deliver.')
param includedEventTypes array = [
  'Microsoft.Resources.ResourceWriteSuccess'
  'Microsoft.Resources.ResourceDeleteSuccess'
  'Microsoft.Resources.ResourceActionSuccess'
]

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: topicName
}

resource toQueue 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: topic
  name: queueName
  properties: {
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: includedEventTypes
    }
    deliveryWithResourceIdentity: {
      identity: { type: 'SystemAssigned' }
      destination: {
        endpointType: 'StorageQueue'
        properties: {
          resourceId: storageAccountId
          queueName: queueName
        }
      }
    }
    // Event Grid's defaults, stated: 30 attempts over at most a day, then the dead-letter container.
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
    deadLetterWithResourceIdentity: {
      identity: { type: 'SystemAssigned' }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: storageAccountId
          blobContainerName: deadLetterContainer
        }
      }
    }
  }
}

output id string = toQueue.id
