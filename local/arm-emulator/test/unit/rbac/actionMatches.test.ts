import { describe, expect, it } from 'vitest';
import { actionMatches } from '../../../src/rbac/actionMatches.js';

// Wildcard semantics from MicrosoftDocs/azure-docs role-based-access-control/role-definitions.md.
describe('actionMatches', () => {
  it.each([
    ['*', 'Microsoft.Compute/virtualMachines/deallocate/action', true],
    ['*/read', 'Microsoft.Compute/virtualMachines/read', true],
    ['*/read', 'Microsoft.Compute/virtualMachines/write', false],
    ['Microsoft.Compute/*', 'Microsoft.Compute/virtualMachines/extensions/write', true],
    ['Microsoft.Compute/*', 'Microsoft.ComputeSchedule/actions/write', false],
    ['Microsoft.Authorization/*/Write', 'microsoft.authorization/locks/write', true],
    ['Microsoft.Authorization/*/Delete', 'Microsoft.Authorization/locks/delete', true],
    ['Microsoft.Authorization/*/Delete', 'Microsoft.Authorization/locks/read', false],
    [
      'Microsoft.Resources/subscriptions/resourceGroups/read',
      'Microsoft.Resources/subscriptions/resourcegroups/read',
      true,
    ],
    ['Microsoft.Web/sites.read', 'Microsoft.Web/sitesXread', false],
  ])('%s covers %s: %s', (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected);
  });
});
