// The app's own role on one subscription, and its identity's assignment of it. The role holds
// exactly the actions in appRole.json, the one list the app is tested against: npm start and the
// end-to-end tests give the local identity this role and nothing else, and
// test/e2e/leastPrivilege.test.ts shows each action is needed. Locks stay out of its reach:
// Microsoft.Authorization/locks/delete is not in it.
targetScope = 'subscription'

param principalId string

var appRole = loadJsonContent('appRole.json')

resource role 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, appRole.roleName)
  properties: {
    roleName: '${appRole.roleName} (${subscription().subscriptionId})'
    description: appRole.description
    type: 'CustomRole'
    permissions: [
      {
        actions: appRole.actions
        notActions: []
      }
    ]
    assignableScopes: [subscription().id]
  }
}

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, role.id)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: role.id
  }
}
