// `npm start`: the local stack around this app. tsx is registered so the TypeScript sources of
// the local workspaces (the ARM emulator, the Functions host, the stack runner) run as they are;
// the app itself runs from its built bundle, as it is deployed.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { runLocalStack } = await import('@sandbox-automation/local-stack');
const { buildApp } = await import('./build.mjs');
await runLocalStack({
  appDir: root,
  prepare: () => buildApp(),
  // This app's defaults for local runs; the environment and local.settings.json win.
  settings: {
    LRO_POLL_INTERVAL_MS: '250',
    CLEANUP_SCHEDULE: '0 0 * * * *',
    POWER_SCHEDULE: '0 */15 * * * *',
    APP_NAME: 'sandbox-automation',
    AzureFunctionsWebHost__hostid: 'sandbox-automation-local',
  },
  // The app's identity holds locally what infra/ grants it in Azure, and no more: Contributor on
  // the subscription (infra/subscriptionContributor.bicep).
  appRoleAssignments: [{ role: 'Contributor' }],
  // Every event goes to the local webhook sink, signed with a local secret; plain http to a
  // loopback address is allowed for the local stack only.
  sinkSettings: (sink) => ({
    NOTIFY_WEBHOOKS: `${sink.url}/events`,
    NOTIFY_ALLOW_PRIVATE_NETWORKS: 'true',
    NOTIFY_SIGNING_SECRET: `whsec_${Buffer.from('sandbox-automation local signing secret').toString('base64')}`,
  }),
});
