import { describe, expect, it } from 'vitest';
import { resourceGroupTargetOf } from '../../../../services/azureEvents/resourceGroupTargetOf.js';

describe('resourceGroupTargetOf', () => {
  it.each([
    {
      uri: '/subscriptions/s1/resourcegroups/rg-ana',
      expected: { subscriptionId: 's1', resourceGroup: 'rg-ana', scope: 'group' },
    },
    {
      uri: '/subscriptions/s1/resourceGroups/RG-Ana/',
      expected: { subscriptionId: 's1', resourceGroup: 'RG-Ana', scope: 'group' },
    },
    {
      uri: '/subscriptions/s1/resourceGroups/rg-ana/providers/Microsoft.Resources/tags/default',
      expected: { subscriptionId: 's1', resourceGroup: 'rg-ana', scope: 'tags' },
    },
    {
      uri: '/SUBSCRIPTIONS/s1/RESOURCEGROUPS/rg(1)/PROVIDERS/microsoft.resources/TAGS/default',
      expected: { subscriptionId: 's1', resourceGroup: 'rg(1)', scope: 'tags' },
    },
  ])('reads $uri', ({ uri, expected }) => {
    // Act & Assess
    expect(resourceGroupTargetOf(uri)).toEqual(expected);
  });

  it.each([
    '/subscriptions/s1',
    '/subscriptions/s1/resourcegroups/rg-ana/providers/Microsoft.Storage/storageAccounts/st1',
    '/subscriptions/s1/providers/Microsoft.Resources/tags/default',
    '/subscriptions/s1/resourcegroups/rg-ana/providers/Microsoft.Storage/storageAccounts/st1/providers/Microsoft.Resources/tags/default',
  ])('is nothing for %s', (uri) => {
    // Act & Assess
    expect(resourceGroupTargetOf(uri)).toBeUndefined();
  });
});
