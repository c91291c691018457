import { randomUUID } from 'node:crypto';
import { ArmError } from '../ArmError.js';
import { groupKeyOf, type ResourceRecord } from '../ArmState.js';
import { checkApiVersion } from '../armApiVersions.js';
import { armErrors } from '../armErrors.js';
import { type ArmRequest, type ArmResponse, json } from '../armRequest.js';
import { AZURE_LOCATIONS, isKnownLocation, normalizeLocation } from '../azureLocations.js';
import type { EmulatorCore } from '../EmulatorCore.js';
import { TENANT_ID } from '../EmulatorOptions.js';
import { assertDeletable, assertWritable } from '../lockChecks.js';
import { objectBody, optionalTags } from '../requestBodies.js';
import { requireGroup, requireWritableGroup } from './resourceGroups.js';

export const USER_ASSIGNED_IDENTITY_TYPE = 'microsoft.managedidentity/userassignedidentities';

/** Every api-version of `Microsoft.ManagedIdentity` in `Azure/azure-rest-api-specs`. */
export const MANAGED_IDENTITY_API_VERSIONS = [
  '2026-05-31',
  '2026-04-30',
  '2025-05-31-preview',
  '2025-01-31-preview',
  '2024-11-30',
  '2023-07-31-preview',
  '2023-01-31',
  '2022-01-31-preview',
  '2021-09-30-preview',
  '2018-11-30',
  '2015-08-31-preview',
] as const;

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$/;

/** An identity as `Microsoft.ManagedIdentity` answers it (spec example `IdentityCreate.json`). */
function identityShape(record: ResourceRecord) {
  const { tenantId, principalId, clientId } = record.properties;
  return {
    id: record.id,
    name: record.name,
    type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
    location: record.location,
    tags: record.tags ?? {},
    properties: { tenantId, principalId, clientId },
  };
}

/**
 * `Microsoft.ManagedIdentity/userAssignedIdentities`: synchronous PUT (201 with `principalId`,
 * `clientId` and `tenantId`, 200 on update), GET, PATCH of tags, synchronous DELETE (200, or 204
 * when absent), and the lists by group and by subscription. Answers undefined for other paths.
 * Identities live among the group's resources, so they go with it, and the identity endpoint
 * issues tokens for them.
 */
export function routeUserAssignedIdentities(
  core: EmulatorCore,
  req: ArmRequest,
): ArmResponse | undefined {
  const { segments: s, lower: l } = req;
  const n = l.length;
  const inGroup =
    l[0] === 'subscriptions' &&
    l[2] === 'resourcegroups' &&
    l[4] === 'providers' &&
    l[5] === 'microsoft.managedidentity' &&
    l[6] === 'userassignedidentities' &&
    (n === 7 || n === 8);
  const inSubscription =
    l[0] === 'subscriptions' &&
    l[2] === 'providers' &&
    l[3] === 'microsoft.managedidentity' &&
    l[4] === 'userassignedidentities' &&
    n === 5;
  if (!inGroup && !inSubscription) return undefined;
  checkApiVersion(req.apiVersion, MANAGED_IDENTITY_API_VERSIONS);
  const subscriptionId = core.requireSubscription(s[1] as string);
  if (inSubscription || n === 7) {
    if (req.method !== 'GET') throw armErrors.methodNotAllowed(req.method);
    const keys = inSubscription
      ? core.state.topLevelResourceKeys(subscriptionId)
      : core.state.resourceKeysInGroup(
          groupKeyOf(subscriptionId, requireGroup(core, subscriptionId, s[3] as string).name),
        );
    const value = [];
    for (const key of keys) {
      const resource = core.state.resources.get(key);
      if (resource?.type.toLowerCase() === USER_ASSIGNED_IDENTITY_TYPE) {
        value.push(identityShape(resource));
      }
    }
    return json(200, { value });
  }
  const groupName = s[3] as string;
  const name = s[7] as string;
  const group = requireGroup(core, subscriptionId, groupName);
  const id = `/subscriptions/${subscriptionId}/resourcegroups/${group.name}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;
  const existing = core.state.getResource(id);
  const notFound = () =>
    armErrors.resourceNotFound(
      `Microsoft.ManagedIdentity/userAssignedIdentities/${name}`,
      group.name,
    );
  switch (req.method) {
    case 'GET':
      if (!existing) throw notFound();
      return json(200, identityShape(existing));
    case 'PUT': {
      requireWritableGroup(core, subscriptionId, group.name);
      if (!NAME.test(name)) {
        throw new ArmError(
          400,
          'InvalidResourceName',
          `Resource name ${name} is invalid. The name can be between 3 and 128 characters long, must start with a letter or a number and may contain letters, numbers, hyphens and underscores.`,
        );
      }
      const body = objectBody(req.body);
      if (typeof body.location !== 'string' || body.location === '') {
        throw armErrors.locationRequired();
      }
      const location = normalizeLocation(body.location);
      if (!isKnownLocation(location)) {
        throw armErrors.locationNotAvailableForResourceType(
          body.location,
          'Microsoft.ManagedIdentity/userAssignedIdentities',
          AZURE_LOCATIONS,
        );
      }
      if (existing && existing.location !== location) {
        throw new ArmError(
          409,
          'InvalidResourceLocation',
          `The resource '${name}' already exists in location '${existing.location}' in resource group '${group.name}'. A resource with the same name cannot be created in location '${location}'. Please select a new resource name.`,
        );
      }
      assertWritable(core.state, id, req.path);
      const tags = optionalTags(body.tags);
      const record: ResourceRecord = {
        subscriptionId,
        groupKey: groupKeyOf(subscriptionId, group.name),
        id: existing?.id ?? id,
        type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
        name: existing?.name ?? name,
        location,
        ...(tags ? { tags } : {}),
        properties: existing?.properties ?? {
          tenantId: TENANT_ID,
          principalId: randomUUID(),
          clientId: randomUUID(),
        },
        provisioningState: 'Succeeded',
        createdTime: existing?.createdTime ?? req.now,
        changedTime: req.now,
      };
      core.state.putResource(record);
      return json(existing ? 200 : 201, identityShape(record));
    }
    case 'PATCH': {
      requireWritableGroup(core, subscriptionId, group.name);
      if (!existing) throw notFound();
      assertWritable(core.state, existing.id, req.path);
      const body = objectBody(req.body);
      if (body.tags !== undefined) existing.tags = optionalTags(body.tags);
      existing.changedTime = req.now;
      core.state.changed();
      return json(200, identityShape(existing));
    }
    case 'DELETE':
      if (!existing) return json(204);
      assertDeletable(core.state, existing.id, req.path);
      core.state.removeResource(existing.id);
      return json(200);
    default:
      throw armErrors.methodNotAllowed(req.method);
  }
}

/** A user-assigned identity created through ARM, by client id, object id or resource id. */
export function findUserAssignedIdentity(
  core: EmulatorCore,
  query: { clientId?: string | null; principalId?: string | null; resourceId?: string | null },
): ResourceRecord | undefined {
  const clientId = query.clientId?.toLowerCase();
  const principalId = query.principalId?.toLowerCase();
  const resourceId = query.resourceId?.toLowerCase().replace(/\/+$/, '');
  if (resourceId) {
    const resource = core.state.getResource(resourceId);
    return resource?.type.toLowerCase() === USER_ASSIGNED_IDENTITY_TYPE ? resource : undefined;
  }
  for (const resource of core.state.resources.values()) {
    if (resource.type.toLowerCase() !== USER_ASSIGNED_IDENTITY_TYPE) continue;
    const properties = resource.properties as { clientId?: string; principalId?: string };
    if (
      (clientId && properties.clientId?.toLowerCase() === clientId) ||
      (principalId && properties.principalId?.toLowerCase() === principalId)
    ) {
      return resource;
    }
  }
  return undefined;
}
