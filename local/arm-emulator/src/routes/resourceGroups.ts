import { randomUUID } from 'node:crypto';
import { type GroupRecord, groupKeyOf } from '../ArmState.js';
import { armErrors } from '../armErrors.js';
import { type ArmRequest, type ArmResponse, json } from '../armRequest.js';
import { expandOf, groupId, groupShape } from '../armShapes.js';
import { AZURE_LOCATIONS, isKnownLocation, normalizeLocation } from '../azureLocations.js';
import type { EmulatorCore } from '../EmulatorCore.js';
import { parseListFilter, tagsMatch } from '../listFilters.js';
import { decodeSkipToken, nextLinkOf, pageSizeOf, takePage } from '../listPages.js';
import { assertDeletable, assertWritable } from '../lockChecks.js';
import { objectBody, optionalTags } from '../requestBodies.js';
import { distinctTags, validateTags } from '../tagRules.js';

/**
 * Letters and decimal digits as .NET's `Char.IsLetterOrDigit` knows them (`\p{L}`, `\p{Nd}`), so
 * '²' (`\p{No}`) is refused while 'é' or '٣' pass. MicrosoftDocs/azure-docs,
 * articles/azure-resource-manager/management/resource-name-rules.md (Microsoft.Resources).
 */
const NAME_CHARACTER = /[-_.()\p{L}\p{Nd}]/u;

/** Tags of a group write: one key per name, within ARM's limits. */
function groupTags(value: unknown) {
  const tags = optionalTags(value);
  if (!tags) return undefined;
  const distinct = distinctTags(tags);
  validateTags(distinct);
  return distinct;
}

/** ARM's resource group name rules: 1-90 letters, digits, '-', '_', '.', '(' or ')', no final '.'. */
export function validateGroupName(name: string): void {
  const invalid = [...new Set([...name].filter((c) => !NAME_CHARACTER.test(c)))].join('');
  if (invalid || name.endsWith('.') || name.length > 90 || name.length === 0) {
    throw armErrors.invalidResourceGroupName(name, invalid || (name.endsWith('.') ? '.' : ''));
  }
}

/** Finds a group or answers ARM's 404. */
export function requireGroup(
  core: EmulatorCore,
  subscriptionId: string,
  name: string,
): GroupRecord {
  const group = core.state.getGroup(subscriptionId, name);
  if (!group) throw armErrors.resourceGroupNotFound(name);
  return group;
}

/** Finds a group that may be written to: it exists and is not being deleted. */
export function requireWritableGroup(
  core: EmulatorCore,
  subscriptionId: string,
  name: string,
): GroupRecord {
  const group = requireGroup(core, subscriptionId, name);
  if (group.deleteOperationId) throw armErrors.resourceGroupBeingDeleted(group.name);
  return group;
}

export function handleResourceGroup(
  core: EmulatorCore,
  req: ArmRequest,
  subscriptionId: string,
  name: string,
): ArmResponse {
  switch (req.method) {
    case 'GET':
      return json(200, groupShape(requireGroup(core, subscriptionId, name), expandOf(req.query)));
    case 'HEAD':
      return json(core.state.getGroup(subscriptionId, name) ? 204 : 404);
    case 'PUT':
      return putGroup(core, req, subscriptionId, name);
    case 'PATCH':
      return patchGroup(core, req, subscriptionId, name);
    case 'DELETE':
      return deleteGroup(core, req, subscriptionId, name);
    default:
      throw armErrors.methodNotAllowed(req.method);
  }
}

function putGroup(core: EmulatorCore, req: ArmRequest, subscriptionId: string, name: string) {
  validateGroupName(name);
  const body = objectBody(req.body);
  if (typeof body.location !== 'string' || body.location === '') throw armErrors.locationRequired();
  const location = normalizeLocation(body.location);
  if (!isKnownLocation(location)) {
    throw armErrors.locationNotAvailableForResourceGroup(body.location, AZURE_LOCATIONS);
  }
  const tags = groupTags(body.tags);
  const managedBy = typeof body.managedBy === 'string' ? body.managedBy : undefined;
  const existing = core.state.getGroup(subscriptionId, name);
  if (existing) {
    if (existing.deleteOperationId) throw armErrors.resourceGroupBeingDeleted(existing.name);
    if (existing.location !== location) {
      throw armErrors.invalidResourceGroupLocation(body.location, existing.location);
    }
    assertWritable(core.state, groupId(existing), req.path);
    existing.tags = tags;
    if (managedBy !== undefined) existing.managedBy = managedBy;
    existing.changedTime = req.now;
    core.state.changed();
    return json(200, groupShape(existing));
  }
  assertWritable(core.state, `/subscriptions/${subscriptionId}/resourceGroups/${name}`, req.path);
  const group: GroupRecord = {
    subscriptionId,
    name,
    location,
    ...(tags ? { tags } : {}),
    ...(managedBy ? { managedBy } : {}),
    createdTime: req.now,
    changedTime: req.now,
  };
  core.state.putGroup(group);
  return json(201, groupShape(group));
}

function patchGroup(core: EmulatorCore, req: ArmRequest, subscriptionId: string, name: string) {
  const group = requireWritableGroup(core, subscriptionId, name);
  const body = objectBody(req.body);
  assertWritable(core.state, groupId(group), req.path);
  if (body.tags !== undefined) group.tags = groupTags(body.tags);
  if (typeof body.managedBy === 'string') group.managedBy = body.managedBy;
  group.changedTime = req.now;
  core.state.changed();
  return json(200, groupShape(group));
}

function deleteGroup(core: EmulatorCore, req: ArmRequest, subscriptionId: string, name: string) {
  const group = requireGroup(core, subscriptionId, name);
  const existing = group.deleteOperationId
    ? core.state.operations.get(group.deleteOperationId)
    : undefined;
  const operation =
    existing ??
    (() => {
      assertDeletable(core.state, groupId(group), req.path);
      const jobId = `RESOURCEGROUPDELETIONJOB-${group.name.toUpperCase()}-${group.location.toUpperCase()}`;
      const started = core.startOperation({
        kind: 'groupDelete',
        subscriptionId,
        targetKey: groupKeyOf(subscriptionId, name),
        namespace: 'Microsoft.Resources',
        location: group.location,
        apiVersion: req.apiVersion,
        duration: 'resourceGroupDelete',
        // ARM's operation ids for group deletes are an opaque base64 job reference.
        id: Buffer.from(
          JSON.stringify({ jobId, jobLocation: group.location, nonce: randomUUID() }),
        ).toString('base64url'),
      });
      group.deleteOperationId = started.id;
      group.changedTime = req.now;
      return started;
    })();
  return json(202, undefined, {
    location: core.operationResultUrl(operation),
    'retry-after': core.retryAfter(operation),
  });
}

export function listResourceGroups(core: EmulatorCore, req: ArmRequest, subscriptionId: string) {
  const filter = parseListFilter(req.query.get('$filter'), ['tagname', 'tagvalue']);
  const expand = expandOf(req.query);
  const cursor = decodeSkipToken(req.query.get('$skiptoken'));
  const page = takePage(
    core.state.groupNamesAfter(subscriptionId, cursor),
    pageSizeOf(req.query),
    (name) => {
      const group = core.state.groups.get(groupKeyOf(subscriptionId, name));
      return group && tagsMatch(group.tags, filter) ? groupShape(group, expand) : undefined;
    },
    (last) => nextLinkOf(core.endpoint, req.path, req.query, last),
  );
  return json(200, page);
}
