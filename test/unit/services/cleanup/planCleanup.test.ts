import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyResourceGroup } from '../../../../services/cleanup/classifyResourceGroup.js';
import { planCleanup } from '../../../../services/cleanup/planCleanup.js';
import {
  APP,
  clockArbitrary,
  groupFactory,
  inventoryArbitrary,
  lockFactory,
  NOW,
  policyArbitrary,
  policyFactory,
  sandboxTags,
} from '../../../support/cleanup/cleanupFixtures.js';

describe('planCleanup', () => {
  it('classifies every group, counts the actions and sorts by subscription and name', () => {
    // Prepare
    const inventory = [
      { group: groupFactory('sbx-b', sandboxTags(-1)), locks: [] },
      { group: groupFactory('sbx-a', sandboxTags(2)), locks: [] },
      { group: groupFactory('sbx-c', sandboxTags(-1)), locks: [lockFactory()] },
      { group: groupFactory('other', {}), locks: [] },
    ];

    // Act
    const plan = planCleanup(inventory, policyFactory(), NOW);

    // Assess
    expect(plan.items.map((i) => [i.name, i.action, i.reason])).toEqual([
      ['other', 'skip', 'not-managed'],
      ['sbx-a', 'warn', 'lease-expiring'],
      ['sbx-b', 'delete', 'lease-expired'],
      ['sbx-c', 'skip', 'locked'],
    ]);
    expect(plan.counts).toEqual({ delete: 1, 'delete-marked': 0, mark: 0, warn: 1, skip: 2 });
    expect(plan.blastRadius).toMatchObject({ deletes: 1, governed: 3, tripped: false });
    expect(plan.items[3]?.locks).toEqual(['do-not-delete']);
  });

  it("names each group's creator from its created-by tag, in any case", () => {
    // Prepare
    const inventory = [
      {
        group: groupFactory('sbx-a', sandboxTags(-1, { 'Created-By': 'ana@contoso.com' })),
        locks: [],
      },
      { group: groupFactory('sbx-b', sandboxTags(-1)), locks: [] },
    ];

    // Act
    const plan = planCleanup(inventory, policyFactory({ maxDeleteFraction: 1 }), NOW);

    // Assess
    expect(plan.items.map((i) => [i.name, i.createdBy])).toEqual([
      ['sbx-a', 'ana@contoso.com'],
      ['sbx-b', undefined],
    ]);
    expect(plan.items[1]).not.toHaveProperty('createdBy');
  });

  it('counts marked groups as governed', () => {
    // Prepare
    const inventory = [
      { group: groupFactory('old', { 'cleanup-delete-after': '2026-01-01T00:00:00Z' }), locks: [] },
      { group: groupFactory('sbx', sandboxTags(100)), locks: [] },
      { group: groupFactory('x', { 'managed-by': `${APP}-2` }), locks: [] },
    ];

    // Act
    const plan = planCleanup(inventory, policyFactory({ orphans: 'mark' }), NOW);

    // Assess
    expect(plan.blastRadius).toMatchObject({
      deletes: 1,
      governed: 2,
      fraction: 0.5,
      tripped: false,
    });
  });

  it('trips the breaker on the count limit', () => {
    // Prepare
    const inventory = Array.from({ length: 4 }, (_, i) => ({
      group: groupFactory(`sbx-${i}`, sandboxTags(-1)),
      locks: [],
    }));
    const more = Array.from({ length: 10 }, (_, i) => ({
      group: groupFactory(`keep-${i}`, sandboxTags(99)),
      locks: [],
    }));

    // Act
    const plan = planCleanup([...inventory, ...more], policyFactory({ maxDeletes: 3 }), NOW);

    // Assess
    expect(plan.blastRadius.tripped).toBe(true);
    expect(plan.blastRadius.reasons).toEqual(['Would delete 4 groups, more than the limit of 3.']);
  });

  describe('properties over random inventories', () => {
    it('gives each item the decision classifyResourceGroup gives its group, and nothing else', () => {
      fc.assert(
        fc.property(
          inventoryArbitrary,
          policyArbitrary,
          clockArbitrary,
          (inventory, policy, now) => {
            // Act
            const plan = planCleanup(inventory, policy, now);

            // Assess
            expect(plan.items).toHaveLength(inventory.length);
            for (const { group, locks } of inventory) {
              const item = plan.items.find(
                (i) => i.subscriptionId === group.subscriptionId && i.name === group.name,
              );
              expect(item).toMatchObject(classifyResourceGroup(group, locks, policy, now));
              expect(item?.tags).toEqual(group.tags);
            }
          },
        ),
        { numRuns: 300 },
      );
    });

    it('does not depend on the order of the inventory', () => {
      fc.assert(
        fc.property(
          inventoryArbitrary,
          policyArbitrary,
          clockArbitrary,
          (inventory, policy, now) => {
            expect(planCleanup([...inventory].reverse(), policy, now)).toEqual(
              planCleanup(inventory, policy, now),
            );
          },
        ),
        { numRuns: 300 },
      );
    });

    it('trips the breaker exactly on its thresholds', () => {
      fc.assert(
        fc.property(
          inventoryArbitrary,
          policyArbitrary,
          clockArbitrary,
          (inventory, policy, now) => {
            // Act
            const { counts, blastRadius } = planCleanup(inventory, policy, now);

            // Assess
            const deletes = counts.delete + counts['delete-marked'];
            const governed = inventory.filter(({ group }) =>
              Object.entries(group.tags).some(
                ([k, v]) =>
                  (k.toLowerCase() === 'managed-by' && v === APP) ||
                  k.toLowerCase() === 'cleanup-delete-after',
              ),
            ).length;
            expect(blastRadius.deletes).toBe(deletes);
            expect(blastRadius.tripped).toBe(
              deletes > policy.maxDeletes ||
                (governed > 0 && deletes / governed > policy.maxDeleteFraction),
            );
          },
        ),
        { numRuns: 500 },
      );
    });
  });
});
