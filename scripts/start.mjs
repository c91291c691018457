// `npm start`: the local stack around this app. tsx is registered so the TypeScript sources of
// the local workspaces (the ARM emulator, the Functions host, the stack runner) run as they are;
// the app itself runs from its built bundle, as it is deployed.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';
import {
  localAppRoleAssignments,
  localAppSettings,
  localAzureEvents,
  localSinkSettings,
} from './localSettings.mjs';

register();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { runLocalStack } = await import('@sandbox-automation/local-stack');
const { buildApp } = await import('./build.mjs');
await runLocalStack({
  appDir: root,
  prepare: () => buildApp(),
  settings: localAppSettings,
  appRoleAssignments: localAppRoleAssignments,
  azureEvents: localAzureEvents,
  sinkSettings: localSinkSettings,
});
