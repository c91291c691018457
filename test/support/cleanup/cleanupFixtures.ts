/**
 * Fixture factories and fast-check arbitraries for cleanup tests.
 */
import fc from 'fast-check';
import type { CleanupPolicy } from '../../../services/cleanup/CleanupPolicy.js';
import type { InventoryEntry } from '../../../services/cleanup/planCleanup.js';
import type { LockInfo, ResourceGroupInfo } from '../../../shared/arm/ResourceGroups.js';

export const APP = 'sandbox-automation';
export const SUB = '00000000-0000-0000-0000-000000000001';
export const NOW = new Date('2026-06-15T12:00:00.000Z');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** An ISO instant `hours` away from `NOW` (negative: in the past). */
export function inHours(hours: number, from: Date = NOW): string {
  return new Date(from.getTime() + hours * HOUR).toISOString();
}

export function policyFactory(overrides: Partial<CleanupPolicy> = {}): CleanupPolicy {
  return {
    appName: APP,
    warnHours: 24,
    orphans: 'off',
    orphanMinAgeDays: 30,
    graceDays: 7,
    protectedPatterns: ['prod-*', 'NetworkWatcherRG'],
    maxDeletes: 25,
    maxDeleteFraction: 0.5,
    ...overrides,
  };
}

export function groupFactory(
  name: string,
  tags: Record<string, string> = {},
  overrides: Partial<ResourceGroupInfo> = {},
): ResourceGroupInfo {
  const subscriptionId = overrides.subscriptionId ?? SUB;
  return {
    subscriptionId,
    name,
    id: `/subscriptions/${subscriptionId}/resourceGroups/${name}`,
    location: 'eastus',
    tags,
    provisioningState: 'Succeeded',
    createdTime: inHours(-24 * 90),
    ...overrides,
  };
}

/** Tags of a sandbox of this app whose lease ends `hours` from `NOW`. */
export function sandboxTags(
  hours: number,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    'managed-by': APP,
    'sandbox-owner': 'ana@contoso.com',
    'sandbox-expires-at': inHours(hours),
    'sandbox-blueprint': 'empty',
    'sandbox-operation-id': 'op-1',
    ...extra,
  };
}

export function lockFactory(
  name = 'do-not-delete',
  level: LockInfo['level'] = 'CanNotDelete',
): LockInfo {
  return { id: `/locks/${name}`, name, level };
}

// --- arbitraries --------------------------------------------------------------------------

const hoursFromNow = fc.integer({ min: -24 * 60, max: 24 * 60 });
const isoAround = hoursFromNow.map((h) => inHours(h));
const dateText = fc.oneof(
  { weight: 8, arbitrary: isoAround },
  { weight: 1, arbitrary: fc.constantFrom('not-a-date', '', 'tomorrow', '2026-13-45') },
);

/** A random group: any mix of management, lease, exemption, mark, odd tag case, names and age. */
export const groupArbitrary: fc.Arbitrary<InventoryEntry> = fc
  .record({
    name: fc.oneof(
      fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
      fc.constantFrom('prod-db', 'PROD-web', 'NetworkWatcherRG', 'sbx-1', 'sbx-2'),
    ),
    subscription: fc.constantFrom(SUB, '00000000-0000-0000-0000-000000000002'),
    managedBy: fc.option(fc.constantFrom(APP, 'someone-else', APP.toUpperCase()), {
      nil: undefined,
    }),
    expiresAt: fc.option(dateText, { nil: undefined }),
    exemptUntil: fc.option(dateText, { nil: undefined }),
    deleteAfter: fc.option(dateText, { nil: undefined }),
    upperCaseTagNames: fc.boolean(),
    extra: fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.string({ maxLength: 5 }), {
      maxKeys: 2,
    }),
    locks: fc.array(
      fc.record({
        name: fc.stringMatching(/^[a-z]{1,8}$/),
        level: fc.constantFrom<LockInfo['level']>('CanNotDelete', 'ReadOnly'),
      }),
      { maxLength: 2 },
    ),
    state: fc.constantFrom('Succeeded', 'Succeeded', 'Succeeded', 'Deleting'),
    ageDays: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
  })
  .map((r) => {
    const tags: Record<string, string> = { ...r.extra };
    const put = (name: string, value: string | undefined) => {
      if (value !== undefined) tags[r.upperCaseTagNames ? name.toUpperCase() : name] = value;
    };
    put('managed-by', r.managedBy);
    put('sandbox-expires-at', r.expiresAt);
    put('cleanup-exempt-until', r.exemptUntil);
    put('cleanup-delete-after', r.deleteAfter);
    const group = groupFactory(r.name, tags, {
      subscriptionId: r.subscription,
      provisioningState: r.state,
      ...(r.ageDays === undefined
        ? { createdTime: undefined }
        : { createdTime: inHours(-24 * r.ageDays) }),
    });
    if (r.ageDays === undefined) delete group.createdTime;
    return { group, locks: r.locks.map((l) => ({ id: `/locks/${l.name}`, ...l })) };
  });

/** A random inventory with unique (subscription, name) pairs, as ARM would list it. */
export const inventoryArbitrary: fc.Arbitrary<InventoryEntry[]> = fc.uniqueArray(groupArbitrary, {
  maxLength: 40,
  selector: (e) => `${e.group.subscriptionId}/${e.group.name.toLowerCase()}`,
});

export const policyArbitrary: fc.Arbitrary<CleanupPolicy> = fc.record({
  appName: fc.constant(APP),
  warnHours: fc.integer({ min: 0, max: 72 }),
  orphans: fc.constantFrom<CleanupPolicy['orphans']>('off', 'mark'),
  orphanMinAgeDays: fc.integer({ min: 1, max: 90 }),
  graceDays: fc.integer({ min: 0, max: 14 }),
  protectedPatterns: fc.constantFrom([], ['prod-*'], ['prod-*', 'NetworkWatcherRG', 'sbx-?']),
  maxDeletes: fc.integer({ min: 0, max: 30 }),
  maxDeleteFraction: fc.double({ min: 0.01, max: 1, noNaN: true }),
});

/** An instant near `NOW`, so random leases fall on both sides of it. */
export const clockArbitrary: fc.Arbitrary<Date> = fc
  .integer({ min: -48, max: 48 })
  .map((h) => new Date(NOW.getTime() + h * HOUR));
