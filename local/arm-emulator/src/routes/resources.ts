import { ArmError } from '../ArmError.js';
import { type GroupRecord, groupKeyOf, isTopLevel, type ResourceRecord } from '../ArmState.js';
import { armErrors } from '../armErrors.js';
import { type ArmRequest, type ArmResponse, json } from '../armRequest.js';
import { expandOf, groupId, resourceListShape, resourceShape } from '../armShapes.js';
import { AZURE_LOCATIONS, isKnownLocation, normalizeLocation } from '../azureLocations.js';
import type { EmulatorCore } from '../EmulatorCore.js';
import { type ListFilter, parseListFilter, tagsMatch } from '../listFilters.js';
import { decodeSkipToken, nextLinkOf, pageSizeOf, takePage } from '../listPages.js';
import { assertDeletable, assertWritable } from '../lockChecks.js';
import type { ResourceTypeSpec } from '../providers/ResourceTypeSpec.js';
import { requireRegisteredType } from '../providers/requireRegisteredType.js';
import { objectBody, optionalTags } from '../requestBodies.js';
import { distinctTags, validateTags } from '../tagRules.js';
import { requireGroup, requireWritableGroup } from './resourceGroups.js';
import {
  instanceView,
  isVirtualMachine,
  validateVirtualMachine,
  virtualMachineAction,
  virtualMachineProperties,
} from './virtualMachines.js';

/** A resource addressed inside a group: `{ns}/{type}/{name}[/{childType}/{childName}…]`. */
interface ResourceAddress {
  subscriptionId: string;
  group: GroupRecord;
  namespace: string;
  /** Alternating types and names after the namespace. */
  pairs: string[];
}

const idOf = (a: ResourceAddress, pairs = a.pairs) =>
  `${groupId(a.group)}/providers/${a.namespace}/${pairs.join('/')}`;

const typeOf = (namespace: string, pairs: string[]) =>
  [namespace, ...pairs.filter((_, i) => i % 2 === 0)].join('/');

const INVALID_NAME_CHARACTERS = /[<>%&:\\?/#*]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it rejects.
const CONTROL_CHARACTERS = /[\u0000-\u001f]/;

function validateResourceName(name: string, type: string): void {
  if (
    type.toLowerCase() === 'microsoft.storage/storageaccounts' &&
    !/^[a-z0-9]{3,24}$/.test(name)
  ) {
    throw new ArmError(
      400,
      'AccountNameInvalid',
      `${name} is not a valid storage account name. Storage account name must be between 3 and 24 characters in length and use numbers and lower-case letters only.`,
    );
  }
  if (
    INVALID_NAME_CHARACTERS.test(name) ||
    CONTROL_CHARACTERS.test(name) ||
    name.endsWith('.') ||
    name.length > 260
  ) {
    throw armErrors.invalidResourceName(name);
  }
}

/**
 * Everything under `/subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/…`: instances at any
 * depth, typed collections, and actions.
 */
export function handleProviderPath(
  core: EmulatorCore,
  req: ArmRequest,
  subscriptionId: string,
  groupName: string,
  namespace: string,
  rest: string[],
): ArmResponse {
  const group = requireGroup(core, subscriptionId, groupName);
  const address: ResourceAddress = { subscriptionId, group, namespace, pairs: rest };
  if (rest.length % 2 === 0) {
    const existing = core.state.getResource(idOf(address));
    const location =
      existing?.location ??
      (typeof objectBody(req.body).location === 'string'
        ? normalizeLocation(objectBody(req.body).location as string)
        : group.location);
    const spec = requireRegisteredType(typeOf(namespace, rest), req.apiVersion, location);
    return handleInstance(core, req, address, spec);
  }
  const parentPairs = rest.slice(0, -1);
  const last = rest[rest.length - 1] as string;
  if (parentPairs.length === 0) {
    if (req.method !== 'GET') throw armErrors.noRoute(req.method, req.path);
    requireRegisteredType(typeOf(namespace, rest), req.apiVersion, group.location);
    return listTyped(
      core,
      req,
      core.state.resourceKeysInGroup(groupKeyOf(subscriptionId, group.name)),
      typeOf(namespace, rest),
    );
  }
  const parent = core.state.getResource(idOf(address, parentPairs));
  if (!parent) {
    requireRegisteredType(typeOf(namespace, parentPairs), req.apiVersion, group.location);
    throw armErrors.resourceNotFound(`${namespace}/${parentPairs.join('/')}`, group.name);
  }
  const location = parent.location ?? group.location;
  if (req.method === 'POST' && isVirtualMachine(parent.type)) {
    requireRegisteredType(parent.type, req.apiVersion, location);
    return virtualMachineAction(core, req, parent, last);
  }
  if (
    req.method === 'GET' &&
    isVirtualMachine(parent.type) &&
    last.toLowerCase() === 'instanceview'
  ) {
    requireRegisteredType(parent.type, req.apiVersion, location);
    return json(200, instanceView(core, parent));
  }
  if (req.method !== 'GET') throw armErrors.noRoute(req.method, req.path);
  const childType = `${parent.type}/${last}`;
  requireRegisteredType(childType, req.apiVersion, location);
  return listTyped(core, req, core.state.nestedKeys(parent).values(), childType);
}

function handleInstance(
  core: EmulatorCore,
  req: ArmRequest,
  address: ResourceAddress,
  spec: ResourceTypeSpec,
): ArmResponse {
  const id = idOf(address);
  switch (req.method) {
    case 'GET': {
      const resource = core.state.getResource(id);
      if (!resource) throw notFound(address);
      return json(200, shapeOf(core, resource, req.query));
    }
    case 'HEAD':
      return json(core.state.getResource(id) ? 204 : 404);
    case 'PUT':
      return putResource(core, req, address, id, spec);
    case 'PATCH':
      return patchResource(core, req, address, id, spec);
    case 'DELETE':
      return deleteResource(core, req, address, id, spec);
    default:
      throw armErrors.methodNotAllowed(req.method);
  }
}

function notFound(address: ResourceAddress): ArmError {
  return armErrors.resourceNotFound(
    `${address.namespace}/${address.pairs.join('/')}`,
    address.group.name,
  );
}

function shapeOf(core: EmulatorCore, resource: ResourceRecord, query: URLSearchParams) {
  if (isVirtualMachine(resource.type) && query.get('$expand')?.toLowerCase() === 'instanceview') {
    return resourceShape(resource, { instanceView: instanceView(core, resource) }, core.state);
  }
  return resourceShape(resource, {}, core.state);
}

/** Tags as the provider stores them: one key per name, within ARM's limits and the provider's. */
export function tagsOf(value: unknown, spec?: ResourceTypeSpec) {
  const tags = optionalTags(value);
  if (!tags) return undefined;
  const distinct = distinctTags(tags);
  validateTags(distinct, spec?.tagNameMaxLength);
  return distinct;
}

function putResource(
  core: EmulatorCore,
  req: ArmRequest,
  address: ResourceAddress,
  id: string,
  spec: ResourceTypeSpec,
) {
  const group = requireWritableGroup(core, address.subscriptionId, address.group.name);
  const type = typeOf(address.namespace, address.pairs);
  const name = address.pairs[address.pairs.length - 1] as string;
  validateResourceName(name, type);
  const body = objectBody(req.body);
  if (address.pairs.length > 2) {
    const parentPairs = address.pairs.slice(0, -2);
    if (!core.state.getResource(idOf(address, parentPairs))) {
      throw armErrors.parentResourceNotFound(parentPairs[parentPairs.length - 1] as string);
    }
  }
  const existing = core.state.getResource(id);
  const location = locationOf(body.location, type, isTopLevel(type) && !existing);
  if (existing?.location && location && existing.location !== location) {
    throw new ArmError(
      409,
      'InvalidResourceLocation',
      `The resource '${name}' already exists in location '${existing.location}' in resource group '${group.name}'. A resource with the same name cannot be created in location '${location}'. Please select a new resource name.`,
    );
  }
  assertWritable(core.state, id, req.path);
  const vm = isVirtualMachine(type);
  if (vm) validateVirtualMachine(core, body, id);
  const tags = tagsOf(body.tags, spec);
  const inputProperties = { ...((body.properties ?? {}) as Record<string, unknown>) };
  delete inputProperties.provisioningState;
  for (const secret of spec.writeOnlyProperties ?? []) delete inputProperties[secret];
  const properties = vm
    ? virtualMachineProperties(inputProperties, existing, req.now)
    : inputProperties;
  const resource: ResourceRecord = {
    subscriptionId: address.subscriptionId,
    groupKey: groupKeyOf(address.subscriptionId, group.name),
    id: existing?.id ?? id,
    type: existing?.type ?? type,
    name: existing?.name ?? name,
    ...((location ?? existing?.location) ? { location: location ?? existing?.location } : {}),
    ...(tags ? { tags } : {}),
    ...pick(body, ['kind', 'sku', 'plan', 'identity', 'zones']),
    ...(typeof body.managedBy === 'string' ? { managedBy: body.managedBy } : {}),
    properties,
    provisioningState: 'Succeeded',
    createdTime: existing?.createdTime ?? req.now,
    changedTime: req.now,
    ...(existing?.powerState ? { powerState: existing.powerState } : {}),
    ...(existing?.etag ? { etag: existing.etag } : {}),
  };
  // Compute's etag is a version number that every model change moves on.
  if (vm) resource.etag = `"${(Number(existing?.etag?.replaceAll('"', '')) || 0) + 1}"`;
  const put = spec.put;
  // Storage updates a settled account in place; a create that failed or still runs starts over.
  const inPlace =
    put.kind === 'accepted' && put.updateInPlace && existing?.provisioningState === 'Succeeded';
  if (put.kind === 'sync' || inPlace) {
    // What the provider computed at creation stays; the request's properties go over it.
    if (inPlace) resource.properties = { ...existing.properties, ...resource.properties };
    spec.onPut?.(resource, core.state, req.now);
    if (!existing) spec.onSucceeded?.(resource, core.state, req.now);
    core.state.putResource(resource);
    return json(
      existing ? 200 : put.kind === 'sync' ? put.createdStatus : 201,
      shapeOf(core, resource, new URLSearchParams()),
      resource.etag && !vm ? { etag: resource.etag } : undefined,
    );
  }
  resource.provisioningState =
    put.kind === 'asyncOperation' ? (existing ? 'Updating' : put.pendingState) : 'Creating';
  spec.onPut?.(resource, core.state, req.now);
  const failure = spec.asyncFailure?.(resource, core.state, req.now);
  const operation = core.startOperation({
    kind: 'resourcePut',
    subscriptionId: address.subscriptionId,
    targetKey: id.toLowerCase(),
    namespace: address.namespace,
    location: operationLocationOf(core, address, resource),
    apiVersion: req.apiVersion,
    duration: put.duration,
    ...(put.kind === 'accepted' && put.pollSegment ? { pollSegment: put.pollSegment } : {}),
    ...(put.kind === 'asyncOperation' && put.statusSegment
      ? { statusSegment: put.statusSegment }
      : {}),
    ...(failure ? { failure } : {}),
  });
  resource.operationId = operation.id;
  core.state.putResource(resource);
  if (put.kind === 'asyncOperation') {
    return json(existing ? 200 : 201, shapeOf(core, resource, new URLSearchParams()), {
      'azure-asyncoperation': core.asyncOperationUrl(operation),
      'retry-after': core.retryAfter(operation),
    });
  }
  return json(202, undefined, {
    location: core.operationResultUrl(operation),
    ...(put.headers === 'both'
      ? { 'azure-asyncoperation': core.asyncOperationUrl(operation) }
      : {}),
    'retry-after': core.retryAfter(operation),
  });
}

/**
 * Where a provider runs an operation: the resource's region, or for a child resource that has none
 * (an event subscription, a subnet) its nearest parent's, else the group's.
 */
function operationLocationOf(
  core: EmulatorCore,
  address: ResourceAddress,
  resource: ResourceRecord,
): string {
  if (resource.location) return resource.location;
  for (let n = address.pairs.length - 2; n >= 2; n -= 2) {
    const parent = core.state.getResource(idOf(address, address.pairs.slice(0, n)));
    if (parent?.location) return parent.location;
  }
  return address.group.location;
}

function locationOf(value: unknown, type: string, required: boolean): string | undefined {
  if (value === undefined || value === null || value === '') {
    if (required) throw armErrors.locationRequired();
    return undefined;
  }
  if (typeof value !== 'string') {
    throw armErrors.invalidRequestContent(
      "Error converting value to type 'string'. Path 'location'.",
    );
  }
  const location = normalizeLocation(value);
  if (location !== 'global' && !isKnownLocation(location)) {
    throw armErrors.locationNotAvailableForResourceType(value, type, AZURE_LOCATIONS);
  }
  return location;
}

function pick(body: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of keys) if (body[key] !== undefined) picked[key] = body[key];
  return picked;
}

function patchResource(
  core: EmulatorCore,
  req: ArmRequest,
  address: ResourceAddress,
  id: string,
  spec: ResourceTypeSpec,
) {
  requireWritableGroup(core, address.subscriptionId, address.group.name);
  const resource = core.state.getResource(id);
  if (!resource) throw notFound(address);
  assertWritable(core.state, resource.id, req.path);
  const body = objectBody(req.body);
  if (body.tags !== undefined) resource.tags = tagsOf(body.tags, spec);
  if (isVirtualMachine(resource.type)) {
    resource.etag = `"${(Number(resource.etag?.replaceAll('"', '')) || 0) + 1}"`;
  }
  Object.assign(resource, pick(body, ['kind', 'sku', 'plan', 'identity', 'zones']));
  if (body.properties && typeof body.properties === 'object') {
    const { provisioningState: _ignored, ...properties } = body.properties as Record<
      string,
      unknown
    >;
    for (const secret of spec.writeOnlyProperties ?? []) delete properties[secret];
    resource.properties = { ...resource.properties, ...properties };
  }
  resource.changedTime = req.now;
  core.state.changed();
  return json(200, shapeOf(core, resource, new URLSearchParams()));
}

function deleteResource(
  core: EmulatorCore,
  req: ArmRequest,
  address: ResourceAddress,
  id: string,
  spec: ResourceTypeSpec,
) {
  requireWritableGroup(core, address.subscriptionId, address.group.name);
  const resource = core.state.getResource(id);
  if (!resource) return json(204);
  const running = resource.operationId
    ? core.state.operations.get(resource.operationId)
    : undefined;
  const preempt = () => {
    if (running?.status === 'InProgress') {
      core.state.endOperation(running, 'Canceled', req.now, {
        status: 409,
        code: 'OperationPreempted',
        message: 'Operation execution has been preempted by a more recent operation.',
      });
    }
  };
  const behaviour = spec.delete;
  if (behaviour.kind === 'sync') {
    assertDeletable(core.state, resource.id, req.path);
    preempt();
    core.state.removeResource(resource.id);
    return json(200);
  }
  const operation =
    running?.kind === 'resourceDelete' && running.status === 'InProgress'
      ? running
      : (() => {
          assertDeletable(core.state, resource.id, req.path);
          preempt();
          const started = core.startOperation({
            kind: 'resourceDelete',
            subscriptionId: address.subscriptionId,
            targetKey: resource.id.toLowerCase(),
            namespace: address.namespace,
            location: operationLocationOf(core, address, resource),
            apiVersion: req.apiVersion,
            duration: behaviour.duration,
            ...(behaviour.statusSegment ? { statusSegment: behaviour.statusSegment } : {}),
          });
          resource.operationId = started.id;
          resource.provisioningState = 'Deleting';
          resource.changedTime = req.now;
          core.state.changed();
          return started;
        })();
  return json(202, undefined, {
    location: core.operationResultUrl(operation),
    ...(behaviour.headers === 'both'
      ? { 'azure-asyncoperation': core.asyncOperationUrl(operation) }
      : {}),
    'retry-after': core.retryAfter(operation),
  });
}

function listTyped(core: EmulatorCore, req: ArmRequest, keys: Iterator<string>, type: string) {
  const wanted = type.toLowerCase();
  const cursor = decodeSkipToken(req.query.get('$skiptoken'));
  const page = takePage(
    skipTo(keys, cursor),
    pageSizeOf(req.query),
    (key) => {
      const resource = core.state.resources.get(key);
      return resource && resource.type.toLowerCase() === wanted
        ? shapeOf(core, resource, req.query)
        : undefined;
    },
    (last) => nextLinkOf(core.endpoint, req.path, req.query, last),
  );
  return json(200, page);
}

function* skipTo(keys: Iterator<string>, cursor: string | undefined): Generator<string> {
  for (let next = keys.next(); !next.done; next = keys.next()) {
    if (cursor === undefined || next.value > cursor) yield next.value;
  }
}

const RESOURCE_FILTER_FIELDS = ['tagname', 'tagvalue', 'resourcetype', 'name', 'location'];

function matches(resource: ResourceRecord, filter: ListFilter): boolean {
  return (
    (filter.resourceType === undefined ||
      resource.type.toLowerCase() === filter.resourceType.toLowerCase()) &&
    (filter.name === undefined || resource.name.toLowerCase() === filter.name.toLowerCase()) &&
    (filter.location === undefined || resource.location === normalizeLocation(filter.location)) &&
    tagsMatch(resource.tags, filter)
  );
}

/** `GET …/resources` by group or subscription: top-level resources, without properties. */
export function listResources(
  core: EmulatorCore,
  req: ArmRequest,
  subscriptionId: string,
  groupName?: string,
): ArmResponse {
  const filter = parseListFilter(req.query.get('$filter'), RESOURCE_FILTER_FIELDS);
  const expand = expandOf(req.query);
  const cursor = decodeSkipToken(req.query.get('$skiptoken'));
  const keys =
    groupName === undefined
      ? core.state.topLevelResourceKeys(subscriptionId, cursor)
      : core.state.resourceKeysInGroup(
          groupKeyOf(subscriptionId, requireGroup(core, subscriptionId, groupName).name),
          cursor,
        );
  const page = takePage(
    keys,
    pageSizeOf(req.query),
    (key) => {
      const resource = core.state.resources.get(key);
      return resource && isTopLevel(resource.type) && matches(resource, filter)
        ? resourceListShape(resource, expand)
        : undefined;
    },
    (last) => nextLinkOf(core.endpoint, req.path, req.query, last),
  );
  return json(200, page);
}

/** `GET /subscriptions/{s}/providers/{ns}/{type}`: one type across the subscription. */
export function listTypedInSubscription(
  core: EmulatorCore,
  req: ArmRequest,
  subscriptionId: string,
  type: string,
): ArmResponse {
  requireRegisteredType(type, req.apiVersion, 'global');
  return listTyped(core, req, core.state.topLevelResourceKeys(subscriptionId), type);
}
