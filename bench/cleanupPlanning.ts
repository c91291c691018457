import { type InventoryEntry, planCleanup } from '../services/cleanup/planCleanup.js';
import type { Figure } from './figure.js';
import { summarize } from './figure.js';
import { BENCH_NOW, benchPolicy, syntheticInventory } from './syntheticInventory.js';

/** The median time of `rounds` plans over `inventory`, in milliseconds. */
function timePlans(inventory: readonly InventoryEntry[], rounds: number): number {
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    planCleanup(inventory, benchPolicy, BENCH_NOW);
    samples.push(performance.now() - started);
  }
  return summarize(samples).median;
}

/**
 * Planning cost per group for a 10,000-group inventory against a 1,000-group one: a seeded,
 * realistic mix of groups (see `syntheticInventory`). A ratio near 1 means planning scales
 * linearly.
 */
export async function cleanupPlanningFigures(): Promise<Figure[]> {
  const inventory = syntheticInventory(10_000);
  const small = inventory.slice(0, 1_000);
  timePlans(inventory, 3);
  const smallMs = timePlans(small, 21);
  const largeMs = timePlans(inventory, 11);
  return [
    {
      name: 'cleanup: plan 10,000 groups, per group',
      value: (largeMs / inventory.length) * 1000,
      unit: 'µs',
      detail: `${largeMs.toFixed(1)} ms for the whole plan`,
      baseline: { name: 'per group in a 1,000-group plan', value: (smallMs / small.length) * 1000 },
    },
  ];
}
