import { z } from 'zod';
import { armProvider } from './armProvider.js';
import { defineBlueprint } from './Blueprint.js';
import { derivedResourceName } from './derivedResourceName.js';
import { accountName, choice, text } from './parameters.js';

const mysqlProvider = armProvider('Microsoft.DBforMySQL', '2023-12-30');

/**
 * A MySQL flexible server (Burstable) and one database. ARM cannot create the server without an
 * administrator password, so the worker makes a random one that is never stored or logged; the
 * owner sets their own with `az mysql flexible-server update --admin-password`.
 */
export const mysql = defineBlueprint({
  name: 'mysql',
  description: 'A MySQL flexible server (Burstable B1ms) and one database.',
  parameters: z.strictObject({
    databaseName: text(
      /^[A-Za-z][A-Za-z0-9_]{0,63}$/,
      'must be 1-64 letters, digits or underscores',
    ).default('app'),
    version: choice(['8.0.21', '8.4'], '8.0.21'),
    administratorLogin: accountName(
      /^[a-z][a-z0-9_]{0,31}$/,
      'must be a lowercase login of at most 32 characters',
      ['admin', 'root', 'azure_superuser', 'sa'],
    ).default('sandboxadmin'),
  }),
  resources: ({ sandbox, location, parameters, secret }) => {
    const server = derivedResourceName(sandbox, { prefix: 'mysql', maxLength: 63 });
    return [
      mysqlProvider.resource('server', 'flexibleServers', server, {
        location,
        sku: { name: 'Standard_B1ms', tier: 'Burstable' },
        properties: {
          version: parameters.version,
          administratorLogin: parameters.administratorLogin,
          administratorLoginPassword: secret(),
          storage: { storageSizeGB: 20, autoGrow: 'Enabled' },
          backup: { backupRetentionDays: 1, geoRedundantBackup: 'Disabled' },
        },
      }),
      mysqlProvider.resource(
        'database',
        'flexibleServers/databases',
        `${server}/${parameters.databaseName}`,
        { properties: { charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci' } },
        { dependsOn: ['server'] },
      ),
    ];
  },
});
