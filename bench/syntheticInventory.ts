/**
 * A deterministic inventory for the benchmarks: `count` groups in a realistic mix (expired,
 * expiring and live sandboxes, exemptions, marks, locks, unmanaged and protected groups, tag
 * names in odd case), the same for the same seed on every run.
 */
import type { CleanupPolicy } from '../services/cleanup/CleanupPolicy.js';
import type { InventoryEntry } from '../services/cleanup/planCleanup.js';

export const BENCH_NOW = new Date('2026-06-15T12:00:00.000Z');
export const BENCH_APP = 'sandbox-automation';
const HOUR = 3_600_000;

/** The policy the benchmarks plan with: orphans marked, a breaker that does not trip. */
export const benchPolicy: CleanupPolicy = {
  appName: BENCH_APP,
  warnHours: 24,
  orphans: 'mark',
  orphanMinAgeDays: 30,
  graceDays: 7,
  protectedPatterns: ['NetworkWatcherRG', 'MC_*'],
  maxDeletes: 1_000_000,
  maxDeleteFraction: 1,
};

/** mulberry32: a small, well-distributed PRNG, so the inventory depends only on the seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * @example
 * const inventory = syntheticInventory(10_000, 42);
 */
export function syntheticInventory(count: number, seed = 42): InventoryEntry[] {
  const next = random(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;
  const at = (hours: number) => new Date(BENCH_NOW.getTime() + hours * HOUR).toISOString();
  return Array.from({ length: count }, (_, i) => {
    const kind = pick(['expired', 'expiring', 'live', 'unmanaged', 'marked', 'protected'] as const);
    const upper = next() < 0.2;
    const tags: Record<string, string> = {};
    const put = (name: string, value: string) => {
      tags[upper ? name.toUpperCase() : name] = value;
    };
    if (kind === 'expired' || kind === 'expiring' || kind === 'live') {
      put('managed-by', BENCH_APP);
      put('sandbox-owner', `user${i % 97}@contoso.com`);
      const lease =
        kind === 'expired' ? -next() * 500 : kind === 'expiring' ? next() * 20 : 48 + next() * 500;
      put('sandbox-expires-at', at(lease));
      if (next() < 0.05) put('cleanup-exempt-until', at(next() * 200));
    }
    if (kind === 'marked') put('cleanup-delete-after', at((next() - 0.5) * 400));
    const name = kind === 'protected' ? `MC_cluster_${i}` : `rg-${kind}-${i}`;
    const locks =
      next() < 0.03
        ? [{ id: `/locks/keep-${i}`, name: `keep-${i}`, level: 'CanNotDelete' as const }]
        : [];
    return {
      group: {
        subscriptionId: '00000000-0000-0000-0000-000000000001',
        name,
        id: `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/${name}`,
        location: 'westeurope',
        tags,
        provisioningState: next() < 0.02 ? 'Deleting' : 'Succeeded',
        createdTime: at(-24 * next() * 400),
      },
      locks,
    };
  });
}
