// The subscription's Event Grid system topic: Azure Resource Manager's own events about every
// write, delete and action in the subscription (Microsoft.Resources.Subscriptions). A source has
// one system topic, and a subscription's lives in the 'global' location. Its system-assigned
// identity delivers the events (azureEventsSubscription.bicep), so the storage account needs no
// shared key.
targetScope = 'resourceGroup'

@description('The system topic\'s name.')
param name string

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: name
  location: 'global'
  identity: { type: 'SystemAssigned' }
  properties: {
    source: subscription().id
    topicType: 'Microsoft.Resources.Subscriptions'
  }
}

output name string = topic.name
output principalId string = topic.identity.principalId
