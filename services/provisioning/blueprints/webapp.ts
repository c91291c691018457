import { z } from 'zod';
import { defineBlueprint } from './Blueprint.js';
import { derivedResourceName } from './derivedResourceName.js';
import { resourceIdOf } from './ResourceSpec.js';

const WEB_API_VERSION = '2023-12-01';

/** A Linux App Service plan and a web app on it, HTTPS only. */
export const webapp = defineBlueprint({
  name: 'webapp',
  description: 'A Linux App Service plan and a web app (HTTPS only, FTP off).',
  parameters: z
    .object({
      sku: z.enum(['F1', 'B1', 'B2', 'S1', 'P0v3', 'P1v3']).default('B1'),
      runtime: z
        .string()
        .regex(/^[A-Z]+\|[A-Za-z0-9.-]+$/, 'must be a linuxFxVersion such as NODE|20-lts')
        .default('NODE|20-lts'),
    })
    .strict(),
  resources: ({ subscriptionId, sandbox, location, parameters }) => {
    const plan = derivedResourceName(sandbox, { prefix: 'plan', maxLength: 40 });
    const site = derivedResourceName(sandbox, { prefix: 'app', maxLength: 60 });
    return [
      {
        key: 'plan',
        kind: 'generic',
        type: 'Microsoft.Web/serverfarms',
        name: plan,
        apiVersion: WEB_API_VERSION,
        body: {
          location,
          kind: 'linux',
          sku: { name: parameters.sku },
          properties: { reserved: true },
        },
      },
      {
        key: 'site',
        kind: 'generic',
        type: 'Microsoft.Web/sites',
        name: site,
        apiVersion: WEB_API_VERSION,
        dependsOn: ['plan'],
        body: {
          location,
          kind: 'app,linux',
          properties: {
            serverFarmId: resourceIdOf(subscriptionId, sandbox, {
              type: 'Microsoft.Web/serverfarms',
              name: plan,
            }),
            httpsOnly: true,
            siteConfig: {
              linuxFxVersion: parameters.runtime,
              ftpsState: 'Disabled',
              minTlsVersion: '1.2',
            },
          },
        },
      },
    ];
  },
});
