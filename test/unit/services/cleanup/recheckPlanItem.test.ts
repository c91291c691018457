import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { APPLIED_ACTIONS, planCleanup } from '../../../../services/cleanup/planCleanup.js';
import { recheckPlanItem } from '../../../../services/cleanup/recheckPlanItem.js';
import type { LockInfo, ResourceGroupInfo } from '../../../../shared/arm/ResourceGroups.js';
import {
  clockArbitrary,
  groupArbitrary,
  groupFactory,
  HOUR,
  inHours,
  lockFactory,
  NOW,
  policyArbitrary,
  policyFactory,
  sandboxTags,
} from '../../../support/cleanup/cleanupFixtures.js';

const policy = policyFactory({ orphans: 'mark' });
const planned = (group: ResourceGroupInfo, locks: LockInfo[] = []) => {
  const item = planCleanup([{ group, locks }], policy, NOW).items[0];
  if (!item) throw new Error('no item');
  return item;
};
const expired = groupFactory('sbx-1', sandboxTags(-1));

describe('recheckPlanItem', () => {
  it.each([
    {
      description: 'proceeds when nothing changed',
      current: expired,
      expected: { verdict: 'proceed' },
    },
    {
      description: 'counts a group that is already gone as done',
      current: undefined,
      expected: { verdict: 'gone' },
    },
    {
      description: 'skips when a lock was added',
      current: expired,
      locks: [lockFactory('hold')],
      expected: {
        verdict: 'skip',
        reason: 'locked',
        detail: 'Management lock: hold (CanNotDelete). Cleanup never removes locks.',
      },
    },
    {
      description: 'skips when the lease was extended',
      current: groupFactory('sbx-1', sandboxTags(-1, { 'sandbox-expires-at': inHours(48) })),
      expected: {
        verdict: 'skip',
        reason: 'tags-changed',
        detail: `Tag 'sandbox-expires-at' changed from '${inHours(-1)}' to '${inHours(48)}'.`,
      },
    },
    {
      description: 'skips when an exemption was added',
      current: groupFactory('sbx-1', sandboxTags(-1, { 'cleanup-exempt-until': inHours(1) })),
      expected: { verdict: 'skip', reason: 'tags-changed' },
    },
    {
      description: 'skips when any other tag changed',
      current: groupFactory('sbx-1', sandboxTags(-1, { team: 'data' })),
      expected: { verdict: 'skip', reason: 'tags-changed', detail: "Tag 'team' added ('data')." },
    },
    {
      description: 'skips when a deletion started elsewhere',
      current: groupFactory('sbx-1', sandboxTags(-1), { provisioningState: 'Deleting' }),
      expected: { verdict: 'skip', reason: 'state-changed' },
    },
  ])('$description', ({ current, locks, expected }) => {
    // Prepare
    const item = planned(expired);

    // Act
    const result = recheckPlanItem(
      item,
      current,
      locks ?? [],
      policy,
      new Date(NOW.getTime() + HOUR),
    );

    // Assess
    expect(result).toMatchObject(expected);
  });

  it('skips when the decision changed with the policy or clock, even with the same tags', () => {
    // Prepare
    const marked = groupFactory('old', { 'cleanup-delete-after': inHours(-1) });
    const item = planned(marked);

    // Act
    const result = recheckPlanItem(item, marked, [], { ...policy, orphans: 'off' }, NOW);

    // Assess
    expect(result).toMatchObject({ verdict: 'skip', reason: 'orphans-off' });
  });

  it('skips a protected name added to the policy since the plan', () => {
    // Prepare
    const item = planned(expired);

    // Act
    const result = recheckPlanItem(
      item,
      expired,
      [],
      { ...policy, protectedPatterns: ['sbx-*'] },
      NOW,
    );

    // Assess
    expect(result).toMatchObject({ verdict: 'skip', reason: 'protected-name' });
  });

  describe('properties', () => {
    type Mutation =
      | { kind: 'none' }
      | { kind: 'gone' }
      | { kind: 'lock'; level: LockInfo['level'] }
      | { kind: 'extend-lease'; hours: number }
      | { kind: 'exempt'; hours: number }
      | { kind: 'add-tag'; value: string }
      | { kind: 'change-tag' }
      | { kind: 'remove-tag' }
      | { kind: 'deleting' };
    const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
      fc.constant({ kind: 'none' as const }),
      fc.constant({ kind: 'gone' as const }),
      fc
        .constantFrom<LockInfo['level']>('CanNotDelete', 'ReadOnly')
        .map((level) => ({ kind: 'lock' as const, level })),
      fc.integer({ min: 1, max: 500 }).map((hours) => ({ kind: 'extend-lease' as const, hours })),
      fc.integer({ min: -500, max: 500 }).map((hours) => ({ kind: 'exempt' as const, hours })),
      fc.string({ maxLength: 5 }).map((value) => ({ kind: 'add-tag' as const, value })),
      fc.constant({ kind: 'change-tag' as const }),
      fc.constant({ kind: 'remove-tag' as const }),
      fc.constant({ kind: 'deleting' as const }),
    );

    function mutate(
      group: ResourceGroupInfo,
      m: Mutation,
    ): { current?: ResourceGroupInfo; locks: LockInfo[] } {
      const g = structuredClone(group);
      switch (m.kind) {
        case 'none':
          return { current: g, locks: [] };
        case 'gone':
          return { locks: [] };
        case 'lock':
          return { current: g, locks: [lockFactory('late', m.level)] };
        case 'extend-lease': {
          const key =
            Object.keys(g.tags).find((k) => k.toLowerCase() === 'sandbox-expires-at') ??
            'sandbox-expires-at';
          const base = Date.parse(g.tags[key] ?? '') || NOW.getTime();
          g.tags[key] = new Date(base + m.hours * HOUR).toISOString();
          return { current: g, locks: [] };
        }
        case 'exempt': {
          const key =
            Object.keys(g.tags).find((k) => k.toLowerCase() === 'cleanup-exempt-until') ??
            'cleanup-exempt-until';
          const next = inHours(m.hours);
          g.tags[key] = g.tags[key] === next ? inHours(m.hours + 1) : next;
          return { current: g, locks: [] };
        }
        case 'add-tag':
          g.tags[`zz-added-${Object.keys(g.tags).length}`] = m.value;
          return { current: g, locks: [] };
        case 'change-tag': {
          const key = Object.keys(g.tags)[0];
          if (key === undefined) g.tags.fresh = 'x';
          else g.tags[key] = `${g.tags[key]}-changed`;
          return { current: g, locks: [] };
        }
        case 'remove-tag': {
          const key = Object.keys(g.tags)[0];
          if (key === undefined) g.tags.fresh = 'x';
          else delete g.tags[key];
          return { current: g, locks: [] };
        }
        case 'deleting':
          g.provisioningState = 'Deleting';
          return { current: g, locks: [] };
      }
    }

    it('proceeds only when nothing relevant changed, and never acts on a changed group', () => {
      fc.assert(
        fc.property(
          groupArbitrary.filter(({ locks }) => locks.length === 0),
          policyArbitrary,
          clockArbitrary,
          mutationArbitrary,
          ({ group }, randomPolicy, now, mutation) => {
            // Prepare
            const item = planCleanup([{ group, locks: [] }], randomPolicy, now).items[0];
            fc.pre(item !== undefined && APPLIED_ACTIONS.has(item.action));
            const { current, locks } = mutate(group, mutation);

            // Act
            const result = recheckPlanItem(item!, current, locks, randomPolicy, now);

            // Assess
            const expected =
              mutation.kind === 'none' ? 'proceed' : mutation.kind === 'gone' ? 'gone' : 'skip';
            expect(result.verdict).toBe(expected);
          },
        ),
        { numRuns: 1500 },
      );
    });
  });
});
