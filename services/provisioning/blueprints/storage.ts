import { z } from 'zod';
import { armProvider } from './armProvider.js';
import { defineBlueprint } from './Blueprint.js';
import { derivedResourceName } from './derivedResourceName.js';
import { choice, text } from './parameters.js';

const storageProvider = armProvider('Microsoft.Storage', '2023-05-01');

/**
 * A StorageV2 account with one private blob container. Shared-key access is off: the account is
 * reached by Entra ID identities only, as everything in this product is.
 */
export const storage = defineBlueprint({
  name: 'storage',
  description:
    'A storage account (StorageV2, LRS, no shared keys) with one private blob container.',
  parameters: z.strictObject({
    containerName: text(
      /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/,
      '3-63 lowercase letters, digits and single hyphens, starting and ending alphanumeric',
    ).default('data'),
    sku: choice(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS'], 'Standard_LRS'),
  }),
  resources: ({ sandbox, location, parameters }) => {
    const account = derivedResourceName(sandbox, {
      prefix: 'st',
      maxLength: 24,
      alphanumericOnly: true,
    });
    return [
      storageProvider.resource('account', 'storageAccounts', account, {
        location,
        sku: { name: parameters.sku },
        kind: 'StorageV2',
        properties: {
          minimumTlsVersion: 'TLS1_2',
          supportsHttpsTrafficOnly: true,
          allowBlobPublicAccess: false,
          allowSharedKeyAccess: false,
        },
      }),
      // ARM makes this child with the account; saying so keeps the order explicit and lets the
      // blob service's settings live in the blueprint.
      storageProvider.resource(
        'blobService',
        'storageAccounts/blobServices',
        `${account}/default`,
        { properties: { deleteRetentionPolicy: { enabled: true, days: 7 } } },
        { dependsOn: ['account'] },
      ),
      storageProvider.resource(
        'container',
        'storageAccounts/blobServices/containers',
        `${account}/default/${parameters.containerName}`,
        { properties: { publicAccess: 'None' } },
        { dependsOn: ['blobService'] },
      ),
    ];
  },
});
