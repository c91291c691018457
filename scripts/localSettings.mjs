// This app's defaults for local runs (`npm start`, and the benchmarks that run the same stack);
// the environment and local.settings.json win over them.
import { readFileSync } from 'node:fs';

export const localAppSettings = {
  LRO_POLL_INTERVAL_MS: '250',
  CLEANUP_SCHEDULE: '0 0 * * * *',
  POWER_SCHEDULE: '0 */15 * * * *',
  APP_NAME: 'sandbox-automation',
  // Azurite's queue scans every message it holds for each receive and delete, so a cleanup run
  // keeps few of its items queued ahead of ARM's pace (Azure's queues have no such cost).
  CLEANUP_QUEUE_AHEAD: '500',
  AzureFunctionsWebHost__hostid: 'sandbox-automation-local',
};

const appRole = JSON.parse(readFileSync(new URL('../infra/appRole.json', import.meta.url), 'utf8'));

// The app's identity holds locally what infra/ grants it in Azure, and no more: its own role on
// the subscription, exactly the actions in infra/appRole.json (infra/subscriptionAppRole.bicep).
export const localAppRoleAssignments = [
  {
    role: {
      roleName: appRole.roleName,
      description: appRole.description,
      permissions: [{ actions: appRole.actions }],
    },
  },
];

// Azure's own events about the subscription, to the app's queue, as infra/azureEvents*.bicep sets
// them up in Azure; a test user (Contributor) makes them through ARM.
export const localAzureEvents = { queueName: 'azure-events', caller: 'dave@sandbox.test' };

// Every event goes to the local webhook sink, signed with a local secret; plain http to a loopback
// address is allowed for the local stack only.
export const localSinkSettings = (sink) => ({
  NOTIFY_WEBHOOKS: `${sink.url}/events`,
  NOTIFY_ALLOW_PRIVATE_NETWORKS: 'true',
  NOTIFY_SIGNING_SECRET: `whsec_${Buffer.from('sandbox-automation local signing secret').toString('base64')}`,
});
