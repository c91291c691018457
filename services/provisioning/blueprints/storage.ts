import { z } from 'zod';
import { defineBlueprint } from './Blueprint.js';
import { derivedResourceName } from './derivedResourceName.js';

const STORAGE_API_VERSION = '2023-05-01';

/**
 * A StorageV2 account with one private blob container. Shared-key access is off: the account is
 * reached by Entra ID identities only, as everything in this product is.
 */
export const storage = defineBlueprint({
  name: 'storage',
  description:
    'A storage account (StorageV2, LRS, no shared keys) with one private blob container.',
  parameters: z
    .object({
      containerName: z
        .string()
        .regex(
          /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/,
          '3-63 lowercase letters, digits and single hyphens, starting and ending alphanumeric',
        )
        .default('data'),
      sku: z.enum(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS']).default('Standard_LRS'),
    })
    .strict(),
  resources: ({ sandbox, location, parameters }) => {
    const account = derivedResourceName(sandbox, {
      prefix: 'st',
      maxLength: 24,
      alphanumericOnly: true,
    });
    return [
      {
        key: 'account',
        kind: 'generic',
        type: 'Microsoft.Storage/storageAccounts',
        name: account,
        apiVersion: STORAGE_API_VERSION,
        body: {
          location,
          sku: { name: parameters.sku },
          kind: 'StorageV2',
          properties: {
            minimumTlsVersion: 'TLS1_2',
            supportsHttpsTrafficOnly: true,
            allowBlobPublicAccess: false,
            allowSharedKeyAccess: false,
          },
        },
      },
      {
        // ARM makes this child with the account; saying so keeps the order explicit and lets
        // the blob service's settings live in the blueprint.
        key: 'blobService',
        kind: 'generic',
        type: 'Microsoft.Storage/storageAccounts/blobServices',
        name: `${account}/default`,
        apiVersion: STORAGE_API_VERSION,
        dependsOn: ['account'],
        body: { properties: { deleteRetentionPolicy: { enabled: true, days: 7 } } },
      },
      {
        key: 'container',
        kind: 'generic',
        type: 'Microsoft.Storage/storageAccounts/blobServices/containers',
        name: `${account}/default/${parameters.containerName}`,
        apiVersion: STORAGE_API_VERSION,
        dependsOn: ['blobService'],
        body: { properties: { publicAccess: 'None' } },
      },
    ];
  },
});
