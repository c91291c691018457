import type { ArmState, GroupRecord, LockRecord, ResourceRecord } from './ArmState.js';
import { iso } from './armRequest.js';
import { resourceTypeOf } from './providers/resourceTypes.js';

export const groupId = (group: GroupRecord) =>
  `/subscriptions/${group.subscriptionId}/resourceGroups/${group.name}`;

/** `$expand=createdTime,changedTime,provisioningState` as a set of lower-case names. */
export function expandOf(query: URLSearchParams): Set<string> {
  const value = query.get('$expand') ?? '';
  return new Set(
    value
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** A resource group as ARM answers it. */
export function groupShape(group: GroupRecord, expand: Set<string> = new Set()) {
  return {
    id: groupId(group),
    name: group.name,
    type: 'Microsoft.Resources/resourceGroups',
    location: group.location,
    ...(group.managedBy ? { managedBy: group.managedBy } : {}),
    ...(group.tags ? { tags: group.tags } : {}),
    properties: { provisioningState: group.deleteOperationId ? 'Deleting' : 'Succeeded' },
    ...(expand.has('createdtime') ? { createdTime: iso(group.createdTime) } : {}),
    ...(expand.has('changedtime') ? { changedTime: iso(group.changedTime) } : {}),
  };
}

function envelope(resource: ResourceRecord) {
  return {
    ...(resource.kind !== undefined ? { kind: resource.kind } : {}),
    ...(resource.sku !== undefined ? { sku: resource.sku } : {}),
    ...(resource.location !== undefined ? { location: resource.location } : {}),
    ...(resource.tags ? { tags: resource.tags } : {}),
    ...(resource.identity !== undefined ? { identity: resource.identity } : {}),
    ...(resource.plan !== undefined ? { plan: resource.plan } : {}),
    ...(resource.zones !== undefined ? { zones: resource.zones } : {}),
    ...(resource.managedBy ? { managedBy: resource.managedBy } : {}),
  };
}

/**
 * A resource as its provider answers a GET or PUT: with properties, the `etag` it reports, and
 * `provisioningState` unless the provider has none (blob containers). With the state, the
 * properties a provider computes from other records too (a vnet's subnets).
 */
export function resourceShape(
  resource: ResourceRecord,
  extraProperties: object = {},
  state?: ArmState,
) {
  const spec = resourceTypeOf(resource.type);
  return {
    id: resource.id,
    name: resource.name,
    type: resource.type,
    ...(resource.etag ? { etag: resource.etag } : {}),
    ...envelope(resource),
    properties: {
      ...resource.properties,
      ...(state && spec?.readProperties ? spec.readProperties(resource, state) : {}),
      ...(spec?.provisioningState === false
        ? {}
        : { provisioningState: resource.provisioningState }),
      ...extraProperties,
    },
  };
}

/** A resource as the generic `/resources` list answers it: no properties. */
export function resourceListShape(resource: ResourceRecord, expand: Set<string>) {
  return {
    id: resource.id,
    name: resource.name,
    type: resource.type,
    ...envelope(resource),
    ...(expand.has('createdtime') ? { createdTime: iso(resource.createdTime) } : {}),
    ...(expand.has('changedtime') ? { changedTime: iso(resource.changedTime) } : {}),
    ...(expand.has('provisioningstate') ? { provisioningState: resource.provisioningState } : {}),
  };
}

export const LOCK_SUFFIX = '/providers/Microsoft.Authorization/locks/';

export function lockScopeOf(lock: LockRecord): string {
  return lock.id.slice(0, lock.id.length - LOCK_SUFFIX.length - lock.name.length);
}

export function lockShape(lock: LockRecord) {
  return {
    properties: {
      level: lock.level,
      ...(lock.notes !== undefined ? { notes: lock.notes } : {}),
      ...(lock.owners !== undefined ? { owners: lock.owners } : {}),
    },
    id: lock.id,
    type: 'Microsoft.Authorization/locks',
    name: lock.name,
  };
}
