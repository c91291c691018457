// Contributor on one subscription for the app's identity: it creates, tags and deletes the
// sandbox resource groups there. Locks stay out of its reach (removing one needs Owner).
targetScope = 'subscription'

param principalId string

var contributor = 'b24988ac-6180-42a0-ab88-20f7382dd24c'

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, contributor)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', contributor)
  }
}
