/**
 * Operation names as ARM's events carry them: the provider's casing, whatever the URL's
 * (MicrosoftDocs/azure-docs, articles/event-grid/event-schema-subscriptions.md:
 * "Microsoft.Storage/storageAccounts/write").
 */
import { describe, expect, it } from 'vitest';
import { canonicalOperationName } from '../../../src/events/armOperationContextOf.js';

describe('canonicalOperationName', () => {
  it.each([
    [
      'Microsoft.Resources/subscriptions/resourcegroups/write',
      'Microsoft.Resources/subscriptions/resourceGroups/write',
    ],
    ['microsoft.storage/storageaccounts/delete', 'Microsoft.Storage/storageAccounts/delete'],
    [
      'Microsoft.Compute/virtualMachines/powerOff/action',
      'Microsoft.Compute/virtualMachines/powerOff/action',
    ],
    [
      'microsoft.eventgrid/systemtopics/eventsubscriptions/write',
      'Microsoft.EventGrid/systemTopics/eventSubscriptions/write',
    ],
    [
      'Microsoft.Authorization/roleAssignments/write',
      'Microsoft.Authorization/roleAssignments/write',
    ],
  ])('names %s %s', (action, name) => {
    expect(canonicalOperationName(action)).toBe(name);
  });
});
