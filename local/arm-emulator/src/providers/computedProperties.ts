import { randomUUID } from 'node:crypto';
import type { ArmState, ResourceRecord } from '../ArmState.js';
import { armErrors } from '../armErrors.js';
import { iso } from '../armRequest.js';

/**
 * What each provider computes on its own: the fields a real GET carries that no request sent.
 * The shapes follow recorded responses (Azure/azure-sdk-assets,
 * js/sdk/storage/arm-storage/recordings/node/storage_test/*.json) and the REST specs' examples.
 */

const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

const skuName = (resource: ResourceRecord) => String(record(resource.sku).name ?? '');

/** A storage account once created: endpoints, creation time, sku tier, the default services. */
export function storageAccountSucceeded(
  account: ResourceRecord,
  state: ArmState,
  now: number,
): void {
  const given = account.properties;
  const name = account.name;
  const created = iso(now);
  const sku = skuName(account);
  account.sku = {
    ...record(account.sku),
    tier: sku.startsWith('Premium') ? 'Premium' : 'Standard',
  };
  const hot = account.kind === 'StorageV2' || account.kind === 'BlobStorage';
  account.properties = {
    keyCreationTime: { key1: created, key2: created },
    privateEndpointConnections: [],
    minimumTlsVersion: 'TLS1_0',
    allowBlobPublicAccess: false,
    networkAcls: {
      bypass: 'AzureServices',
      virtualNetworkRules: [],
      ipRules: [],
      defaultAction: 'Allow',
    },
    supportsHttpsTrafficOnly: true,
    encryption: {
      services: {
        file: { keyType: 'Account', enabled: true, lastEnabledTime: created },
        blob: { keyType: 'Account', enabled: true, lastEnabledTime: created },
      },
      keySource: 'Microsoft.Storage',
    },
    ...(hot ? { accessTier: 'Hot' } : {}),
    ...given,
    creationTime: created,
    primaryEndpoints: {
      dfs: `https://${name}.dfs.core.windows.net/`,
      blob: `https://${name}.blob.core.windows.net/`,
      queue: `https://${name}.queue.core.windows.net/`,
      table: `https://${name}.table.core.windows.net/`,
      file: `https://${name}.file.core.windows.net/`,
    },
    primaryLocation: account.location,
    statusOfPrimary: 'available',
  };
  const blobService = `${account.id}/blobServices/default`;
  if (!state.getResource(blobService)) {
    state.putResource({
      subscriptionId: account.subscriptionId,
      groupKey: account.groupKey,
      id: blobService,
      type: `${account.type}/blobServices`,
      name: 'default',
      sku: account.sku,
      properties: {
        cors: { corsRules: [] },
        deleteRetentionPolicy: { allowPermanentDelete: false, enabled: false },
      },
      provisioningState: 'Succeeded',
      createdTime: now,
      changedTime: now,
    });
  }
}

/** A blob container's service-side fields, as a container GET reports them. */
export function blobContainerPut(container: ResourceRecord, _state: ArmState, now: number): void {
  container.properties = {
    deleted: false,
    remainingRetentionDays: 0,
    defaultEncryptionScope: '$account-encryption-key',
    denyEncryptionScopeOverride: false,
    publicAccess: 'None',
    leaseStatus: 'Unlocked',
    leaseState: 'Available',
    hasImmutabilityPolicy: false,
    hasLegalHold: false,
    ...container.properties,
    lastModifiedTime: iso(now),
  };
  container.etag = `"0x${now.toString(16).toUpperCase()}"`;
}

const networkEtag = () => `W/"${randomUUID()}"`;

/** A virtual network: a resource guid, and its `subnets` as child resources of their own. */
export function virtualNetworkPut(vnet: ResourceRecord, state: ArmState, now: number): void {
  const subnets = Array.isArray(vnet.properties.subnets) ? vnet.properties.subnets : [];
  const { subnets: _given, ...properties } = vnet.properties;
  vnet.properties = {
    ...properties,
    resourceGuid: (vnet.properties.resourceGuid as string | undefined) ?? randomUUID(),
  };
  vnet.etag = networkEtag();
  for (const subnet of subnets) {
    const name = record(subnet).name;
    if (typeof name !== 'string' || name === '') {
      throw armErrors.invalidRequestContent("Required property 'name' not found in subnet.");
    }
    state.putResource({
      subscriptionId: vnet.subscriptionId,
      groupKey: vnet.groupKey,
      id: `${vnet.id}/subnets/${name}`,
      type: `${vnet.type}/subnets`,
      name,
      properties: { ...record(record(subnet).properties) },
      provisioningState: vnet.provisioningState,
      createdTime: now,
      changedTime: now,
      etag: vnet.etag,
    });
  }
}

/** The vnet's subnets settle with it. */
export function virtualNetworkSucceeded(vnet: ResourceRecord, state: ArmState): void {
  for (const key of state.nestedKeys(vnet)) {
    const subnet = state.resources.get(key);
    if (subnet?.type.toLowerCase().endsWith('/subnets')) subnet.provisioningState = 'Succeeded';
  }
}

/** A vnet GET lists its subnets in full, as NRP does. */
export function virtualNetworkRead(vnet: ResourceRecord, state: ArmState): Record<string, unknown> {
  const subnets = state
    .nestedKeys(vnet)
    .map((key) => state.resources.get(key))
    .filter((r): r is ResourceRecord => !!r && r.type.toLowerCase().endsWith('/subnets'))
    .map((subnet) => ({
      name: subnet.name,
      id: subnet.id,
      ...(subnet.etag ? { etag: subnet.etag } : {}),
      properties: { ...subnet.properties, provisioningState: subnet.provisioningState },
      type: subnet.type,
    }));
  return { subnets };
}

/** A subnet gets the etag NRP gives every sub-resource. */
export function subnetPut(subnet: ResourceRecord): void {
  subnet.etag = networkEtag();
}

/** A NIC: its subnets must exist; each IP configuration gets an id and a private address. */
export function networkInterfacePut(nic: ResourceRecord, state: ArmState): void {
  const configurations = Array.isArray(nic.properties.ipConfigurations)
    ? nic.properties.ipConfigurations
    : [];
  nic.etag = networkEtag();
  nic.properties = {
    ...nic.properties,
    resourceGuid: (nic.properties.resourceGuid as string | undefined) ?? randomUUID(),
    ipConfigurations: configurations.map((raw, index) => {
      const configuration = record(raw);
      const properties = record(configuration.properties);
      const subnetId = record(properties.subnet).id;
      const subnet = typeof subnetId === 'string' ? state.getResource(subnetId) : undefined;
      if (typeof subnetId === 'string' && !subnet) {
        throw armErrors.invalidResourceReference(subnetId, nic.id);
      }
      const prefix = String(subnet?.properties.addressPrefix ?? '10.0.0.0/24');
      return {
        name: configuration.name,
        id: `${nic.id}/ipConfigurations/${String(configuration.name)}`,
        etag: nic.etag,
        type: 'Microsoft.Network/networkInterfaces/ipConfigurations',
        properties: {
          privateIPAllocationMethod: 'Dynamic',
          privateIPAddressVersion: 'IPv4',
          primary: index === 0,
          privateIPAddress: firstHostAddress(prefix, index),
          ...properties,
        },
      };
    }),
  };
}

/** Azure keeps the first four addresses of a subnet: the first NIC gets `.4`. */
function firstHostAddress(prefix: string, index: number): string {
  const [address] = prefix.split('/');
  const octets = (address ?? '10.0.0.0').split('.').map(Number);
  octets[3] = (octets[3] ?? 0) + 4 + index;
  return octets.join('.');
}

const WEB_TIERS: Record<string, string> = {
  F: 'Free',
  D: 'Shared',
  B: 'Basic',
  S: 'Standard',
  P: 'Premium',
};

/** An App Service plan: its sku tier, status and site count. */
export function serverFarmPut(plan: ResourceRecord): void {
  const name = skuName(plan);
  const tier = /v3$/i.test(name)
    ? 'PremiumV3'
    : /v2$/i.test(name)
      ? 'PremiumV2'
      : WEB_TIERS[name[0] ?? ''];
  plan.sku = {
    ...record(plan.sku),
    ...(tier ? { tier } : {}),
    size: name,
    family: name.replace(/\d.*$/, ''),
    capacity: 1,
  };
  plan.properties = {
    status: 'Ready',
    numberOfSites: 0,
    maximumNumberOfWorkers: 1,
    ...plan.properties,
  };
}

/** A web app: host names and state. */
export function sitePut(site: ResourceRecord): void {
  const host = `${site.name}.azurewebsites.net`;
  site.properties = {
    ...site.properties,
    state: 'Running',
    hostNames: [host],
    enabledHostNames: [host, `${site.name}.scm.azurewebsites.net`],
    defaultHostName: host,
    usageState: 'Normal',
    availabilityState: 'Normal',
  };
}

/** A MySQL flexible server once created: its host name and state. */
export function mysqlServerSucceeded(server: ResourceRecord): void {
  server.properties = {
    ...server.properties,
    fullyQualifiedDomainName: `${server.name}.mysql.database.azure.com`,
    state: 'Ready',
    replicationRole: 'None',
  };
}
