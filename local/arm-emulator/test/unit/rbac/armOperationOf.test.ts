import { describe, expect, it } from 'vitest';
import { armOperationOf } from '../../../src/rbac/armOperationOf.js';

const sub = '/subscriptions/s';
const rg = `${sub}/resourceGroups/rg`;
const split = (path: string) => path.split('/').filter(Boolean);
const check = (action: string, scope: string, extra: object = {}) => ({
  kind: 'check',
  action,
  scope,
  subscriptionId: 's',
  ...extra,
});

// The actions and scopes real AuthorizationFailed messages name, for example
// 'Microsoft.Resources/subscriptions/resourcegroups/delete' over '/subscriptions/…/resourcegroups/…'
// and 'Microsoft.Storage/storageAccounts/listKeys/action' over the account.
describe('armOperationOf', () => {
  it.each([
    [
      'DELETE',
      `${sub}/resourcegroups/rg`,
      check('Microsoft.Resources/subscriptions/resourcegroups/delete', `${sub}/resourcegroups/rg`),
    ],
    ['PUT', rg, check('Microsoft.Resources/subscriptions/resourceGroups/write', rg)],
    ['HEAD', rg, check('Microsoft.Resources/subscriptions/resourceGroups/read', rg)],
    [
      'GET',
      `${sub}/resourcegroups`,
      check('Microsoft.Resources/subscriptions/resourcegroups/read', sub, { list: true }),
    ],
    [
      'GET',
      `${rg}/resources`,
      check('Microsoft.Resources/subscriptions/resourceGroups/resources/read', rg, { list: true }),
    ],
    [
      'GET',
      `${sub}/resources`,
      check('Microsoft.Resources/subscriptions/resources/read', sub, { list: true }),
    ],
    [
      'POST',
      `${rg}/providers/Microsoft.Compute/virtualMachines/vm1/deallocate`,
      check(
        'Microsoft.Compute/virtualMachines/deallocate/action',
        `${rg}/providers/Microsoft.Compute/virtualMachines/vm1`,
      ),
    ],
    [
      'GET',
      `${rg}/providers/Microsoft.Compute/virtualMachines/vm1/instanceView`,
      check(
        'Microsoft.Compute/virtualMachines/instanceView/read',
        `${rg}/providers/Microsoft.Compute/virtualMachines/vm1`,
        { list: true },
      ),
    ],
    [
      'PUT',
      `${rg}/providers/Microsoft.Network/virtualNetworks/v/subnets/default`,
      check(
        'Microsoft.Network/virtualNetworks/subnets/write',
        `${rg}/providers/Microsoft.Network/virtualNetworks/v/subnets/default`,
        {
          writesType: 'Microsoft.Network/virtualNetworks/subnets',
        },
      ),
    ],
    [
      'GET',
      `${rg}/providers/Microsoft.Storage/storageAccounts`,
      check('Microsoft.Storage/storageAccounts/read', rg, { list: true }),
    ],
    [
      'DELETE',
      `${rg}/providers/Microsoft.Authorization/locks/keep`,
      check(
        'Microsoft.Authorization/locks/delete',
        `${rg}/providers/Microsoft.Authorization/locks/keep`,
      ),
    ],
    [
      'PATCH',
      `${rg}/providers/Microsoft.Storage/storageAccounts/a/providers/Microsoft.Resources/tags/default`,
      check(
        'Microsoft.Resources/tags/write',
        `${rg}/providers/Microsoft.Storage/storageAccounts/a/providers/Microsoft.Resources/tags/default`,
        {
          writesType: 'Microsoft.Resources/tags',
        },
      ),
    ],
    [
      'GET',
      `${sub}/providers/Microsoft.Authorization/roleAssignments`,
      check('Microsoft.Authorization/roleAssignments/read', sub, { list: true }),
    ],
    [
      'POST',
      `${sub}/providers/Microsoft.Compute/register`,
      check('Microsoft.Compute/register/action', sub),
    ],
    ['GET', `${sub}/operationresults/abc`, { kind: 'open' }],
    [
      'GET',
      `${sub}/providers/Microsoft.Compute/locations/westeurope/operationStatuses/abc`,
      { kind: 'open' },
    ],
    ['GET', '/providers/Microsoft.Authorization/roleDefinitions', { kind: 'open' }],
    ['GET', '/subscriptions', { kind: 'subscriptions' }],
    [
      'GET',
      sub,
      { kind: 'subscription', action: 'Microsoft.Resources/subscriptions/read', scope: sub },
    ],
  ])('%s %s', (method, path, expected) => {
    expect(armOperationOf(method, split(path))).toEqual(expected);
  });
});
