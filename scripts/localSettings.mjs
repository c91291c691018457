// This app's defaults for local runs (`npm start`, and the benchmarks that run the same stack);
// the environment and local.settings.json win over them.
export const localAppSettings = {
  LRO_POLL_INTERVAL_MS: '250',
  CLEANUP_SCHEDULE: '0 0 * * * *',
  APP_NAME: 'sandbox-automation',
  AzureFunctionsWebHost__hostid: 'sandbox-automation-local',
};

// The app's identity holds locally what infra/ grants it in Azure, and no more: Contributor on
// the subscription (infra/subscriptionContributor.bicep).
export const localAppRoleAssignments = [{ role: 'Contributor' }];
