/**
 * The api-versions each resource provider publishes, newest first: what a client of any age may
 * send. Sources, per list:
 * - Azure/azure-rest-api-specs: the RP's `resource-manager/readme.md` tags (storage, read in full)
 *   and the presence of `{stable|preview}/{version}/{file}.json` for versions after 2022;
 * - the api-version folders of the SDKs generated from those specs (Debian's `python3-azure`,
 *   2023) for the years before;
 * - real ARM's own `NoRegisteredProviderFound` answers quoted in Azure/azure-cli#28496
 *   (networkInterfaces), which list what the provider registration accepts;
 * - the api-version the current `@azure/arm-*` clients send (`@azure/arm-compute` 24: 2026-03-01).
 */

/** Microsoft.Storage/storageAccounts (specification/storage/resource-manager/readme.md). */
export const STORAGE_ACCOUNT_VERSIONS = [
  '2026-09-01',
  '2026-06-01',
  '2026-04-01',
  '2025-08-01',
  '2025-06-01',
  '2025-01-01',
  '2024-01-01',
  '2023-05-01',
  '2023-04-01',
  '2023-01-01',
  '2022-09-01',
  '2022-05-01',
  '2021-09-01',
  '2021-08-01',
  '2021-06-01',
  '2021-04-01',
  '2021-02-01',
  '2021-01-01',
  '2020-08-01-preview',
  '2019-06-01',
  '2019-04-01',
  '2018-11-01',
  '2018-07-01',
  '2018-03-01-preview',
  '2018-02-01',
  '2017-10-01',
  '2017-06-01',
  '2016-12-01',
  '2016-05-01',
  '2016-01-01',
  '2015-06-15',
  '2015-05-01-preview',
] as const;

/** blobServices arrived with blob.json's service properties in 2018-07-01. */
export const BLOB_SERVICE_VERSIONS = STORAGE_ACCOUNT_VERSIONS.filter((v) => v >= '2018-07-01');

/** Containers are in every blob.json, from 2018-02-01 (and the 2018-03-01-preview package). */
export const BLOB_CONTAINER_VERSIONS = STORAGE_ACCOUNT_VERSIONS.filter((v) => v >= '2018-02-01');

/** Microsoft.Network virtualNetworks, subnets and networkInterfaces. */
export const NETWORK_VERSIONS = [
  '2025-07-01',
  '2025-05-01',
  '2025-03-01',
  '2025-01-01',
  '2024-07-01',
  '2024-05-01',
  '2024-03-01',
  '2024-01-01',
  '2023-11-01',
  '2023-09-01',
  '2023-06-01',
  '2023-05-01',
  '2023-02-01',
  '2022-11-01',
  '2022-09-01',
  '2022-07-01',
  '2022-05-01',
  '2022-01-01',
  '2021-08-01',
  '2021-05-01',
  '2021-03-01',
  '2021-02-01',
  '2020-11-01',
  '2020-08-01',
  '2020-07-01',
  '2020-06-01',
  '2020-05-01',
  '2020-04-01',
  '2020-03-01',
  '2019-12-01',
  '2019-11-01',
  '2019-09-01',
  '2019-08-01',
  '2019-07-01',
  '2019-06-01',
  '2019-04-01',
  '2019-02-01',
  '2018-12-01',
  '2018-11-01',
  '2018-10-01',
  '2018-08-01',
  '2018-07-01',
  '2018-06-01',
  '2018-05-01',
  '2018-04-01',
  '2018-03-01',
  '2018-02-01',
  '2018-01-01',
  '2017-11-01',
  '2017-10-01',
  '2017-09-01',
  '2017-08-01',
  '2017-06-01',
  '2017-04-01',
  '2017-03-01',
  '2016-12-01',
  '2016-11-01',
  '2016-10-01',
  '2016-09-01',
  '2016-08-01',
  '2016-07-01',
  '2016-06-01',
  '2016-03-30',
  '2015-06-15',
  '2015-05-01-preview',
  '2014-12-01-preview',
] as const;

/** Microsoft.Compute/virtualMachines (ComputeRP). */
export const VIRTUAL_MACHINE_VERSIONS = [
  '2026-03-01',
  '2025-04-01',
  '2024-11-01',
  '2024-07-01',
  '2024-03-01',
  '2023-09-01',
  '2023-07-01',
  '2023-03-01',
  '2022-11-01',
  '2022-08-01',
  '2022-03-01',
  '2021-11-01',
  '2021-07-01',
  '2021-04-01',
  '2021-03-01',
  '2020-12-01',
  '2020-06-01',
  '2019-12-01',
  '2019-07-01',
  '2019-03-01',
  '2018-10-01',
  '2018-06-01',
  '2018-04-01',
  '2017-12-01',
  '2017-03-30',
  '2016-04-30-preview',
  '2016-03-30',
  '2015-06-15',
] as const;

/** Microsoft.Web serverfarms and sites. */
export const WEB_VERSIONS = [
  '2024-11-01',
  '2024-04-01',
  '2023-12-01',
  '2023-01-01',
  '2022-09-01',
  '2022-03-01',
  '2021-03-01',
  '2021-01-15',
  '2021-01-01',
  '2020-12-01',
  '2020-09-01',
  '2020-06-01',
  '2019-08-01',
  '2018-11-01',
  '2018-02-01',
  '2016-09-01',
  '2016-08-01',
  '2016-03-01',
  '2015-08-01',
] as const;

/** Microsoft.DBforMySQL/flexibleServers and their databases. */
export const MYSQL_FLEXIBLE_VERSIONS = [
  '2024-12-30',
  '2024-12-01-preview',
  '2023-12-30',
  '2023-10-01-preview',
  '2023-06-30',
  '2023-06-01-preview',
  '2022-09-30-preview',
  '2022-01-01',
  '2021-12-01-preview',
  '2021-05-01',
  '2021-05-01-preview',
  '2020-07-01-preview',
] as const;

/**
 * Microsoft.EventGrid systemTopics and their eventSubscriptions: every version whose spec has the
 * system topic operations (`SystemTopics_*` examples), from 2020-04-01-preview, where they
 * appeared. `@azure/arm-eventgrid` 14 sends 2022-06-15.
 */
export const EVENT_GRID_SYSTEM_TOPIC_VERSIONS = [
  '2026-06-15-preview',
  '2025-07-15-preview',
  '2025-04-01-preview',
  '2025-02-15',
  '2024-12-15-preview',
  '2024-06-01-preview',
  '2023-12-15-preview',
  '2023-06-01-preview',
  '2022-06-15',
  '2021-12-01',
  '2021-10-15-preview',
  '2021-06-01-preview',
  '2020-10-15-preview',
  '2020-04-01-preview',
] as const;
