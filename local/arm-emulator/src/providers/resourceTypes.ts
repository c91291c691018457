import {
  BLOB_CONTAINER_VERSIONS,
  BLOB_SERVICE_VERSIONS,
  EVENT_GRID_SYSTEM_TOPIC_VERSIONS,
  MYSQL_FLEXIBLE_VERSIONS,
  NETWORK_VERSIONS,
  STORAGE_ACCOUNT_VERSIONS,
  VIRTUAL_MACHINE_VERSIONS,
  WEB_VERSIONS,
} from './apiVersions.js';
import {
  blobContainerPut,
  mysqlServerSucceeded,
  networkInterfacePut,
  serverFarmPut,
  sitePut,
  storageAccountSucceeded,
  subnetPut,
  virtualNetworkPut,
  virtualNetworkRead,
  virtualNetworkSucceeded,
} from './computedProperties.js';
import {
  EVENT_SUBSCRIPTION_TYPE,
  eventSubscriptionFailure,
  eventSubscriptionPut,
  SYSTEM_TOPIC_TYPE,
  systemTopicFailure,
  systemTopicPut,
} from './eventGridResources.js';
import type { ResourceTypeSpec } from './ResourceTypeSpec.js';

/**
 * Every resource type the emulator serves, as its provider registers it. The generic resource
 * routes read everything from here: which api-versions are accepted, whether PUT and DELETE are
 * synchronous, which polling headers they answer with, and what the provider computes.
 *
 * References for the operation shapes:
 * - storage accounts: PUT 202 + `Location` (`…/asyncoperations/{id}?monitor=true`), empty body,
 *   `Retry-After: 17`; the final poll answers 200 with the account; DELETE 200. Azure/azure-sdk-assets
 *   js/sdk/storage/arm-storage/recordings/node/storage_test/recording_storageaccounts_{create,delete}_test.json;
 * - containers: PUT 201, no `provisioningState`, an `ETag`. Same folder, recording_blobcontainers_create_test.json;
 * - network and compute: 201 with `provisioningState` and `Azure-AsyncOperation`; DELETE 202 with
 *   both headers (Azure/azure-resource-manager-rpc, async-api-reference.md; the specs'
 *   `x-ms-long-running-operation-options` for NRP and CRP);
 * - App Service: PUT 200 with the resource (specs: WebApps_CreateOrUpdate, AppServicePlans_CreateOrUpdate,
 *   responses 200/202), DELETE 200;
 * - MySQL flexible servers: PUT 202 with `Azure-AsyncOperation` and `Location`, the final state
 *   read from the resource (specs: Servers_Create, `final-state-via: azure-async-operation`).
 * - Event Grid system topics and event subscriptions: PUT 201 (200 on update) with
 *   `provisioningState` `Creating` and `Azure-AsyncOperation` at
 *   `…/providers/Microsoft.EventGrid/locations/{location}/operationsStatus/{id}` (Event Grid's
 *   spelling, as its failed-operation answers quote it, for example in
 *   hashicorp/terraform-provider-azurerm issues); DELETE 202 with both headers (specs:
 *   SystemTopics_*, SystemTopicEventSubscriptions_*, `x-ms-long-running-operation`).
 */
export const RESOURCE_TYPES: readonly ResourceTypeSpec[] = [
  {
    type: 'Microsoft.Storage/storageAccounts',
    apiVersions: STORAGE_ACCOUNT_VERSIONS,
    put: {
      kind: 'accepted',
      duration: 'resourceCreate',
      headers: 'location',
      updateInPlace: true,
      pollSegment: 'asyncoperations',
    },
    delete: { kind: 'sync' },
    provisioningState: true,
    tagNameMaxLength: 128,
    onSucceeded: storageAccountSucceeded,
  },
  {
    type: 'Microsoft.Storage/storageAccounts/blobServices',
    apiVersions: BLOB_SERVICE_VERSIONS,
    put: { kind: 'sync', createdStatus: 200 },
    delete: { kind: 'sync' },
    provisioningState: false,
  },
  {
    type: 'Microsoft.Storage/storageAccounts/blobServices/containers',
    apiVersions: BLOB_CONTAINER_VERSIONS,
    put: { kind: 'sync', createdStatus: 201 },
    delete: { kind: 'sync' },
    provisioningState: false,
    onPut: blobContainerPut,
  },
  {
    type: 'Microsoft.Network/virtualNetworks',
    apiVersions: NETWORK_VERSIONS,
    put: { kind: 'asyncOperation', duration: 'resourceCreate', pendingState: 'Updating' },
    delete: { kind: 'accepted', duration: 'resourceDelete', headers: 'both' },
    provisioningState: true,
    onPut: virtualNetworkPut,
    onSucceeded: virtualNetworkSucceeded,
    readProperties: virtualNetworkRead,
  },
  {
    type: 'Microsoft.Network/virtualNetworks/subnets',
    apiVersions: NETWORK_VERSIONS,
    put: { kind: 'asyncOperation', duration: 'resourceCreate', pendingState: 'Updating' },
    delete: { kind: 'accepted', duration: 'resourceDelete', headers: 'both' },
    provisioningState: true,
    onPut: subnetPut,
  },
  {
    type: 'Microsoft.Network/networkInterfaces',
    apiVersions: NETWORK_VERSIONS,
    put: { kind: 'asyncOperation', duration: 'resourceCreate', pendingState: 'Updating' },
    delete: { kind: 'accepted', duration: 'resourceDelete', headers: 'both' },
    provisioningState: true,
    onPut: networkInterfacePut,
  },
  {
    type: 'Microsoft.Compute/virtualMachines',
    apiVersions: VIRTUAL_MACHINE_VERSIONS,
    put: { kind: 'asyncOperation', duration: 'vmCreate', pendingState: 'Creating' },
    delete: { kind: 'accepted', duration: 'vmDelete', headers: 'both' },
    provisioningState: true,
  },
  {
    type: 'Microsoft.Web/serverfarms',
    apiVersions: WEB_VERSIONS,
    put: { kind: 'sync', createdStatus: 200 },
    delete: { kind: 'sync' },
    provisioningState: true,
    onPut: serverFarmPut,
  },
  {
    type: 'Microsoft.Web/sites',
    apiVersions: WEB_VERSIONS,
    put: { kind: 'sync', createdStatus: 200 },
    delete: { kind: 'sync' },
    provisioningState: true,
    onPut: sitePut,
  },
  {
    type: 'Microsoft.DBforMySQL/flexibleServers',
    apiVersions: MYSQL_FLEXIBLE_VERSIONS,
    put: { kind: 'accepted', duration: 'resourceCreate', headers: 'both', updateInPlace: false },
    delete: { kind: 'accepted', duration: 'resourceDelete', headers: 'both' },
    provisioningState: true,
    writeOnlyProperties: ['administratorLoginPassword'],
    onSucceeded: mysqlServerSucceeded,
  },
  {
    type: 'Microsoft.DBforMySQL/flexibleServers/databases',
    apiVersions: MYSQL_FLEXIBLE_VERSIONS,
    put: { kind: 'accepted', duration: 'resourceCreate', headers: 'both', updateInPlace: false },
    delete: { kind: 'accepted', duration: 'resourceDelete', headers: 'both' },
    provisioningState: true,
  },
  {
    type: SYSTEM_TOPIC_TYPE,
    apiVersions: EVENT_GRID_SYSTEM_TOPIC_VERSIONS,
    put: {
      kind: 'asyncOperation',
      duration: 'resourceCreate',
      pendingState: 'Creating',
      statusSegment: 'operationsStatus',
    },
    delete: {
      kind: 'accepted',
      duration: 'resourceDelete',
      headers: 'both',
      statusSegment: 'operationsStatus',
    },
    provisioningState: true,
    onPut: systemTopicPut,
    asyncFailure: systemTopicFailure,
  },
  {
    type: EVENT_SUBSCRIPTION_TYPE,
    apiVersions: EVENT_GRID_SYSTEM_TOPIC_VERSIONS,
    put: {
      kind: 'asyncOperation',
      duration: 'resourceCreate',
      pendingState: 'Creating',
      statusSegment: 'operationsStatus',
    },
    delete: {
      kind: 'accepted',
      duration: 'resourceDelete',
      headers: 'both',
      statusSegment: 'operationsStatus',
    },
    provisioningState: true,
    onPut: eventSubscriptionPut,
    asyncFailure: eventSubscriptionFailure,
  },
];

const BY_TYPE = new Map(RESOURCE_TYPES.map((spec) => [spec.type.toLowerCase(), spec]));

/** The registered type, matched without regard to case as ARM does; undefined when unknown. */
export function resourceTypeOf(type: string): ResourceTypeSpec | undefined {
  return BY_TYPE.get(type.toLowerCase());
}
