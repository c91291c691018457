import { z } from 'zod';
import { armProvider } from './armProvider.js';
import { defineBlueprint } from './Blueprint.js';
import { derivedResourceName } from './derivedResourceName.js';
import { choice, text } from './parameters.js';
import { resourceIdOf } from './ResourceSpec.js';

const web = armProvider('Microsoft.Web', '2023-12-01');

/** A Linux App Service plan and a web app on it, HTTPS only. */
export const webapp = defineBlueprint({
  name: 'webapp',
  description: 'A Linux App Service plan and a web app (HTTPS only, FTP off).',
  parameters: z.strictObject({
    sku: choice(['F1', 'B1', 'B2', 'S1', 'P0v3', 'P1v3'], 'B1'),
    runtime: text(
      /^[A-Z]+\|[A-Za-z0-9.-]+$/,
      'must be a linuxFxVersion such as NODE|20-lts',
    ).default('NODE|20-lts'),
  }),
  resources: ({ subscriptionId, sandbox, location, parameters }) => {
    const plan = derivedResourceName(sandbox, { prefix: 'plan', maxLength: 40 });
    const site = derivedResourceName(sandbox, { prefix: 'app', maxLength: 60 });
    const planId = resourceIdOf(subscriptionId, sandbox, {
      type: web.type('serverfarms'),
      name: plan,
    });
    return [
      web.resource('plan', 'serverfarms', plan, {
        location,
        kind: 'linux',
        sku: { name: parameters.sku },
        properties: { reserved: true },
      }),
      web.resource(
        'site',
        'sites',
        site,
        {
          location,
          kind: 'app,linux',
          properties: {
            serverFarmId: planId,
            httpsOnly: true,
            siteConfig: {
              linuxFxVersion: parameters.runtime,
              ftpsState: 'Disabled',
              minTlsVersion: '1.2',
            },
          },
        },
        { dependsOn: ['plan'] },
      ),
    ];
  },
});
