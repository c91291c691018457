import { z } from 'zod';
import { type GroupRecord, groupKeyOf, type ResourceRecord } from './ArmState.js';
import { groupId, LOCK_SUFFIX } from './armShapes.js';
import { isKnownLocation, normalizeLocation } from './azureLocations.js';
import type { EmulatorCore } from './EmulatorCore.js';
import { validateGroupName } from './routes/resourceGroups.js';
import { isVirtualMachine } from './routes/virtualMachines.js';

const tags = z.record(z.string(), z.string());
const timestamp = z.iso.datetime({ offset: true });

const seedResource = z
  .object({
    /** Full type: `Microsoft.Storage/storageAccounts` or `Microsoft.Network/virtualNetworks/subnets`. */
    type: z.string().regex(/^[^/]+(\/[^/]+)+$/),
    /** For nested types, the names joined by '/': `vnet1/default`. */
    name: z.string().min(1),
    location: z.string().optional(),
    tags: tags.optional(),
    kind: z.string().optional(),
    sku: z.unknown().optional(),
    properties: z.record(z.string(), z.unknown()).optional(),
    createdTime: timestamp.optional(),
    powerState: z.enum(['running', 'stopped', 'deallocated']).optional(),
  })
  .strict();

const seedGroup = z
  .object({
    name: z.string().min(1),
    location: z.string().min(1),
    tags: tags.optional(),
    managedBy: z.string().optional(),
    createdTime: timestamp.optional(),
    resources: z.array(seedResource).default([]),
  })
  .strict();

export const seedPayloadSchema = z
  .object({
    subscriptionId: z.string().optional(),
    resourceGroups: z.array(seedGroup).default([]),
    locks: z
      .array(
        z
          .object({
            scope: z.string().startsWith('/subscriptions/'),
            name: z.string().min(1),
            level: z.enum(['CanNotDelete', 'ReadOnly']),
            notes: z.string().optional(),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export type SeedPayload = z.input<typeof seedPayloadSchema>;

export class SeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SeedError';
  }
}

/**
 * Bulk-creates groups, resources and locks in their final (Succeeded) state, optionally with
 * creation times in the past. Existing groups are updated in place.
 *
 * @example
 * seedState(core, { resourceGroups: [{ name: 'old', location: 'westeurope', createdTime: '2020-01-01T00:00:00Z' }] });
 */
export function seedState(
  core: EmulatorCore,
  input: unknown,
): { resourceGroups: number; resources: number; locks: number } {
  const payload = seedPayloadSchema.parse(input);
  const subscriptionId = core.requireSubscription(
    payload.subscriptionId ?? core.defaultSubscriptionId,
  );
  const now = core.clock.now();
  let resources = 0;
  for (const seed of payload.resourceGroups) {
    validateGroupName(seed.name);
    const location = knownLocation(seed.location);
    const createdTime = seed.createdTime ? Date.parse(seed.createdTime) : now;
    const existing = core.state.getGroup(subscriptionId, seed.name);
    const group: GroupRecord = {
      subscriptionId,
      name: existing?.name ?? seed.name,
      location,
      ...(seed.tags ? { tags: seed.tags } : {}),
      ...(seed.managedBy ? { managedBy: seed.managedBy } : {}),
      createdTime,
      changedTime: createdTime,
    };
    core.state.putGroup(group);
    for (const resource of seed.resources) {
      core.state.putResource(resourceOf(core, group, resource, now));
      resources += 1;
    }
  }
  for (const lock of payload.locks) {
    const scope = lock.scope.replace(/\/+$/, '');
    const scopeKey = scope.toLowerCase();
    const known =
      core.state.getResource(scope) ??
      [...core.state.groups.values()].find((g) => groupId(g).toLowerCase() === scopeKey) ??
      (scopeKey === `/subscriptions/${subscriptionId}` ? true : undefined);
    if (!known) throw new SeedError(`Lock scope '${scope}' does not exist.`);
    core.state.putLock({
      id: `${scope}${LOCK_SUFFIX}${lock.name}`,
      scopeKey,
      subscriptionId,
      name: lock.name,
      level: lock.level,
      ...(lock.notes ? { notes: lock.notes } : {}),
    });
  }
  return { resourceGroups: payload.resourceGroups.length, resources, locks: payload.locks.length };
}

function knownLocation(location: string): string {
  const normalized = normalizeLocation(location);
  if (normalized !== 'global' && !isKnownLocation(normalized)) {
    throw new SeedError(`Location '${location}' is not an Azure region.`);
  }
  return normalized;
}

function resourceOf(
  core: EmulatorCore,
  group: GroupRecord,
  seed: z.infer<typeof seedResource>,
  now: number,
): ResourceRecord {
  const [namespace, ...types] = seed.type.split('/');
  const names = seed.name.split('/');
  if (names.length !== types.length) {
    throw new SeedError(
      `Resource '${seed.name}' needs one name per type segment of '${seed.type}'.`,
    );
  }
  const pairs = types.flatMap((type, i) => [type, names[i] as string]);
  const id = `${groupId(group)}/providers/${namespace}/${pairs.join('/')}`;
  if (types.length > 1) {
    const parentId = `${groupId(group)}/providers/${namespace}/${pairs.slice(0, -2).join('/')}`;
    if (!core.state.getResource(parentId)) {
      throw new SeedError(`Parent '${parentId}' of '${id}' must be seeded first.`);
    }
  }
  const createdTime = seed.createdTime ? Date.parse(seed.createdTime) : now;
  const location = seed.location
    ? knownLocation(seed.location)
    : types.length === 1
      ? group.location
      : undefined;
  const vm = isVirtualMachine(seed.type);
  return {
    subscriptionId: group.subscriptionId,
    groupKey: groupKeyOf(group.subscriptionId, group.name),
    id,
    type: seed.type,
    name: names[names.length - 1] as string,
    ...(location ? { location } : {}),
    ...(seed.tags ? { tags: seed.tags } : {}),
    ...(seed.kind ? { kind: seed.kind } : {}),
    ...(seed.sku !== undefined ? { sku: seed.sku } : {}),
    properties: { ...(seed.properties ?? {}) },
    provisioningState: 'Succeeded',
    createdTime,
    changedTime: createdTime,
    ...(vm ? { powerState: seed.powerState ?? 'running' } : {}),
  };
}
