// Deploys the sandbox automation app to Azure: a Flex Consumption Function App that runs as a
// user-assigned managed identity, with identity-based storage (no keys, no connection strings).
//
//   az deployment group create -g <rg> -f infra/main.bicep -p appName=<name>
//
// The identity gets Contributor on each managed subscription (to create, tag and delete
// sandbox resource groups; it never needs to remove locks, so no Owner/User Access Admin).
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

var suffix = uniqueString(resourceGroup().id, appName)
var storageName = take('st${appName}${suffix}', 24)
var deploymentContainer = 'deployments'

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
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
  AZURE_SUBSCRIPTION_ID: sandboxSubscriptionId
  CLEANUP_SUBSCRIPTIONS: join(union([sandboxSubscriptionId], cleanupSubscriptionIds), ',')
  // The power timer reads its schedule from this setting (%POWER_SCHEDULE%): every 15 minutes.
  POWER_SCHEDULE: '0 */15 * * * *'
  APP_NAME: appName
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

module subscriptionAccess 'subscriptionContributor.bicep' = [
  for subscriptionId in union([sandboxSubscriptionId], cleanupSubscriptionIds): {
    name: 'contributor-${take(uniqueString(subscriptionId, identity.id), 8)}'
    scope: subscription(subscriptionId)
    params: { principalId: identity.properties.principalId }
  }
]

output functionAppName string = site.name
output functionAppUrl string = 'https://${site.properties.defaultHostName}'
output identityClientId string = identity.properties.clientId
