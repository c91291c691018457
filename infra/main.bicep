// Deploys the sandbox automation app to Azure: a Flex Consumption Function App that runs as a
// user-assigned managed identity, with identity-based storage (no keys, no connection strings).
//
//   az deployment group create -g <rg> -f infra/main.bicep -p appName=<name> apiClientId=<id>
//
// The identity gets Contributor on each managed subscription (to create, tag and delete
// sandbox resource groups; it never needs to remove locks, so no Owner/User Access Admin).
// Azure's own events about the sandbox subscription reach the app's 'azure-events' queue through
// the subscription's Event Grid system topic (azureEventsTopic.bicep, azureEventsSubscription.bicep).
targetScope = 'resourceGroup'

@description('Base name for the app and its resources (3-18 lowercase letters and digits).')
@minLength(3)
@maxLength(18)
param appName string

param location string = resourceGroup().location

@description('Subscription where sandboxes are created. Defaults to this deployment\'s.')
param sandboxSubscriptionId string = subscription().subscriptionId

@description('Extra subscriptions the cleanup job scans (it gets Contributor there too).')
param cleanupSubscriptionIds array = []

@description('App settings for policy and cleanup (see README), merged over the defaults.')
param extraSettings object = {}

@description('Client id of the API\'s app registration in Entra ID (see README: Signing in). Tokens must be issued for it.')
param apiClientId string

@description('Entra ID tenant whose tokens the API accepts. Defaults to this deployment\'s.')
param tenantId string = tenant().tenantId

@description('Put App Service Authentication in front of the app as well (it then validates tokens before the app, and the app trusts its x-ms-client-principal header).')
param enableAppServiceAuth bool = false

@description('Adopt resource groups people create in the sandbox subscription without the app: each becomes a sandbox its creator owns, with the default lease, that cleanup governs (see README: Azure\'s events).')
@allowed(['off', 'on'])
param adoption string = 'off'
@description('What becomes of the resource group a failed provisioning leaves: keep it a short while for inspection (tagged sandbox-state: failed), or delete it at once.')
@allowed(['keep', 'delete'])
param failedSandboxPolicy string = 'keep'

@description('Resource group in the sandbox subscription for its Event Grid system topic. Defaults to this deployment\'s group, which is then in that subscription.')
param eventsResourceGroup string = resourceGroup().name

var suffix = uniqueString(resourceGroup().id, appName)
var storageName = take('st${appName}${suffix}', 24)
var deploymentContainer = 'deployments'
var azureEventsQueue = 'azure-events'
var azureEventsDeadLetters = 'azure-events-deadletter'

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  storageQueueDataMessageSender: 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${appName}'
  location: location
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource deployments 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainer
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

// Event Grid does not create its destination: the queue and the dead-letter container exist first.
resource eventsQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: azureEventsQueue
}

resource eventsDeadLetters 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: azureEventsDeadLetters
}

module eventsTopic 'azureEventsTopic.bicep' = {
  name: 'azure-events-topic'
  scope: resourceGroup(sandboxSubscriptionId, eventsResourceGroup)
  params: { name: 'evgt-${appName}-subscription' }
}

// The topic's identity may add messages to that one queue and write dead letters to that one
// container, nothing more.
resource topicQueueSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(eventsQueue.id, sandboxSubscriptionId, 'azure-events-topic', roles.storageQueueDataMessageSender)
  scope: eventsQueue
  properties: {
    principalId: eventsTopic.outputs.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataMessageSender)
  }
}

resource topicDeadLetterWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(eventsDeadLetters.id, sandboxSubscriptionId, 'azure-events-topic', roles.storageBlobDataContributor)
  scope: eventsDeadLetters
  properties: {
    principalId: eventsTopic.outputs.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
  }
}

module eventsSubscription 'azureEventsSubscription.bicep' = {
  name: 'azure-events-subscription'
  scope: resourceGroup(sandboxSubscriptionId, eventsResourceGroup)
  params: {
    topicName: eventsTopic.outputs.name
    storageAccountId: storage.id
    queueName: eventsQueue.name
    deadLetterContainer: eventsDeadLetters.name
  }
  // Event Grid checks the identity's access to the destination when the subscription is made.
  dependsOn: [topicQueueSender, topicDeadLetterWriter]
}

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in [roles.storageBlobDataOwner, roles.storageQueueDataContributor, roles.storageTableDataContributor]: {
    name: guid(storage.id, identity.id, role)
    scope: storage
    properties: {
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    }
  }
]

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${appName}'
  location: location
  properties: { sku: { name: 'PerGB2018' }, retentionInDays: 30 }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${appName}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true
  }
}

resource insightsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: insights
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${appName}'
  location: location
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

var baseSettings = {
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.properties.clientId
  AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
  AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
  AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
  APPLICATIONINSIGHTS_CONNECTION_STRING: insights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
  AZURE_CLIENT_ID: identity.properties.clientId
  // The identity's object id as well, so the app knows its own writes in Azure's events.
  APP_PRINCIPAL_ID: identity.properties.principalId
  ADOPTION: adoption
  AZURE_SUBSCRIPTION_ID: sandboxSubscriptionId
  CLEANUP_SUBSCRIPTIONS: join(union([sandboxSubscriptionId], cleanupSubscriptionIds), ',')
  // The power timer reads its schedule from this setting (%POWER_SCHEDULE%): every 15 minutes.
  POWER_SCHEDULE: '0 */15 * * * *'
  APP_NAME: appName
  ENTRA_TENANT_ID: tenantId
  ENTRA_API_CLIENT_ID: apiClientId
  APP_SERVICE_AUTH: enableAppServiceAuth ? 'on' : 'off'
  FAILED_SANDBOX_POLICY: failedSandboxPolicy
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: 'func-${appName}-${suffix}'
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: 40, instanceMemoryMB: 2048 }
      runtime: { name: 'node', version: '20' }
    }
    siteConfig: { minTlsVersion: '1.2', ftpsState: 'Disabled' }
  }
  dependsOn: [storageRoles]
}

resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: union(baseSettings, extraSettings)
}

// Optional: App Service Authentication validates Entra ID tokens in front of the app, answers 401
// to requests without one (health excepted), and strips any x-ms-client-principal a client sends,
// so the app may trust the header it sets. The app verifies tokens itself either way.
resource authSettings 'Microsoft.Web/sites/config@2024-04-01' = if (enableAppServiceAuth) {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
      excludedPaths: ['/api/health']
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenantId}/v2.0'
          clientId: apiClientId
        }
        validation: {
          allowedAudiences: [apiClientId, 'api://${apiClientId}']
        }
      }
    }
    login: { tokenStore: { enabled: false } }
  }
}

module subscriptionAccess 'subscriptionAppRole.bicep' = [
  for subscriptionId in union([sandboxSubscriptionId], cleanupSubscriptionIds): {
    name: 'app-role-${take(uniqueString(subscriptionId, identity.id), 8)}'
    scope: subscription(subscriptionId)
    params: { principalId: identity.properties.principalId }
  }
]

output functionAppName string = site.name
output functionAppUrl string = 'https://${site.properties.defaultHostName}'
output identityClientId string = identity.properties.clientId
output azureEventsSubscriptionId string = eventsSubscription.outputs.id
