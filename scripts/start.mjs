// `npm start`: the local stack around this app. tsx is registered so the TypeScript sources of
// the local workspaces (the ARM emulator, the Functions host, the stack runner) run as they are;
// the app itself runs from its built bundle, as it is deployed.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { runLocalStack } = await import('@sandbox-automation/local-stack');
const { buildApp } = await import('./build.mjs');
const appRole = JSON.parse(await readFile(join(root, 'infra', 'appRole.json'), 'utf8'));
await runLocalStack({
  appDir: root,
  prepare: () => buildApp(),
  // This app's defaults for local runs; the environment and local.settings.json win.
  settings: {
    LRO_POLL_INTERVAL_MS: '250',
    CLEANUP_SCHEDULE: '0 0 * * * *',
    APP_NAME: 'sandbox-automation',
    AzureFunctionsWebHost__hostid: 'sandbox-automation-local',
  },
  // The app's identity holds locally what infra/ grants it in Azure, and no more: its own role on
  // the subscription, exactly the actions in infra/appRole.json (infra/subscriptionAppRole.bicep).
  appRoleAssignments: [
    {
      role: {
        roleName: appRole.roleName,
        description: appRole.description,
        permissions: [{ actions: appRole.actions }],
      },
    },
  ],
  // Azure's own events about the subscription, to the app's queue, as infra/azureEvents*.bicep
  // sets them up in Azure; a test user (Contributor) makes them through ARM.
  azureEvents: { queueName: 'azure-events', caller: 'dave@sandbox.test' },
});
