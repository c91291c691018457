import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyResourceGroup } from '../../../../services/cleanup/classifyResourceGroup.js';
import { matchProtectedPattern } from '../../../../services/cleanup/matchProtectedPattern.js';
import { parseInstant } from '../../../../services/sandbox/parseInstant.js';
import { readTag } from '../../../../services/sandbox/sandboxTags.js';
import {
  APP,
  clockArbitrary,
  groupArbitrary,
  groupFactory,
  inHours,
  lockFactory,
  NOW,
  policyArbitrary,
  policyFactory,
  sandboxTags,
} from '../../../support/cleanup/cleanupFixtures.js';

const markPolicy = policyFactory({ orphans: 'mark' });

const cases = [
  {
    description: 'deletes a managed sandbox whose lease has ended',
    group: groupFactory('sbx-1', sandboxTags(-1)),
    expected: { action: 'delete', reason: 'lease-expired' },
  },
  {
    description: 'deletes at the exact instant the lease ends',
    group: groupFactory('sbx-1', sandboxTags(0)),
    expected: { action: 'delete', reason: 'lease-expired' },
  },
  {
    description: 'warns when the lease ends within the warning window',
    group: groupFactory('sbx-1', sandboxTags(24)),
    expected: { action: 'warn', reason: 'lease-expiring' },
  },
  {
    description: 'skips a lease that ends after the warning window',
    group: groupFactory('sbx-1', sandboxTags(25)),
    expected: { action: 'skip', reason: 'not-expired' },
  },
  {
    description: 'skips a managed group without a readable lease',
    group: groupFactory('sbx-1', { 'managed-by': APP, 'sandbox-expires-at': 'soon' }),
    expected: { action: 'skip', reason: 'lease-invalid' },
  },
  {
    description: 'skips an expired sandbox that is exempt',
    group: groupFactory('sbx-1', sandboxTags(-5, { 'cleanup-exempt-until': inHours(1) })),
    expected: { action: 'skip', reason: 'exempt' },
  },
  {
    description: 'ignores an exemption that has itself expired',
    group: groupFactory('sbx-1', sandboxTags(-5, { 'cleanup-exempt-until': inHours(-1) })),
    expected: { action: 'delete', reason: 'lease-expired' },
  },
  {
    description: 'keeps a group whose exemption cannot be read',
    group: groupFactory('sbx-1', sandboxTags(-5, { 'cleanup-exempt-until': 'forever' })),
    expected: { action: 'skip', reason: 'exemption-invalid' },
  },
  {
    description: 'honours an exemption tag written in another case',
    group: groupFactory('sbx-1', sandboxTags(-5, { 'Cleanup-Exempt-Until': inHours(1) })),
    expected: { action: 'skip', reason: 'exempt' },
  },
  {
    description: 'skips a protected name, ignoring case',
    group: groupFactory('PROD-db', sandboxTags(-5)),
    expected: { action: 'skip', reason: 'protected-name' },
  },
  {
    description: 'skips a locked group',
    group: groupFactory('sbx-1', sandboxTags(-5)),
    locks: [lockFactory()],
    expected: { action: 'skip', reason: 'locked' },
  },
  {
    description: 'skips a group that is being deleted',
    group: groupFactory('sbx-1', sandboxTags(-5), { provisioningState: 'Deleting' }),
    expected: { action: 'skip', reason: 'deleting' },
  },
  {
    description: 'skips a group managed by another app',
    group: groupFactory('sbx-1', { ...sandboxTags(-5), 'managed-by': 'other' }),
    expected: { action: 'skip', reason: 'not-managed' },
  },
  {
    description: 'leaves old unmanaged groups alone when the orphan policy is off',
    group: groupFactory('old', {}, { createdTime: inHours(-24 * 100) }),
    expected: { action: 'skip', reason: 'not-managed' },
  },
  {
    description: 'marks an old unmanaged group when the orphan policy is on',
    group: groupFactory('old', {}, { createdTime: inHours(-24 * 30) }),
    policy: markPolicy,
    expected: { action: 'mark', reason: 'orphan' },
  },
  {
    description: 'does not mark a young unmanaged group',
    group: groupFactory('young', {}, { createdTime: inHours(-24 * 30 + 1) }),
    policy: markPolicy,
    expected: { action: 'skip', reason: 'not-managed' },
  },
  {
    description: 'does not mark a group whose age ARM does not report',
    group: groupFactory('ageless', {}, { createdTime: undefined }),
    policy: markPolicy,
    expected: { action: 'skip', reason: 'not-managed' },
  },
  {
    description: 'deletes a marked group once the grace period has passed',
    group: groupFactory('old', { 'cleanup-delete-after': inHours(-1) }),
    policy: markPolicy,
    expected: { action: 'delete-marked', reason: 'grace-passed' },
  },
  {
    description: 'keeps a marked group during its grace period',
    group: groupFactory('old', { 'cleanup-delete-after': inHours(1) }),
    policy: markPolicy,
    expected: { action: 'skip', reason: 'marked' },
  },
  {
    description: 'keeps a marked group when the orphan policy has been turned off',
    group: groupFactory('old', { 'cleanup-delete-after': inHours(-1) }),
    expected: { action: 'skip', reason: 'orphans-off' },
  },
  {
    description: 'keeps a group whose mark cannot be read',
    group: groupFactory('old', { 'cleanup-delete-after': 'someday' }),
    policy: markPolicy,
    expected: { action: 'skip', reason: 'mark-invalid' },
  },
  {
    description: 'judges a managed group by its lease, not by a mark',
    group: groupFactory('sbx-1', sandboxTags(48, { 'cleanup-delete-after': inHours(-1) })),
    policy: markPolicy,
    expected: { action: 'skip', reason: 'not-expired' },
  },
];

describe('classifyResourceGroup', () => {
  it.each(cases)('$description', ({ group, locks, policy, expected }) => {
    // Prepare
    const usedPolicy = policy ?? policyFactory();

    // Act
    const decision = classifyResourceGroup(group, locks ?? [], usedPolicy, NOW);

    // Assess
    expect(decision).toMatchObject(expected);
    expect(decision.detail.length).toBeGreaterThan(0);
  });

  it('names the lease end in the detail', () => {
    // Prepare
    const group = groupFactory('sbx-1', {
      'managed-by': APP,
      'sandbox-expires-at': '2026-06-15T11:00:00Z',
    });

    // Act
    const decision = classifyResourceGroup(group, [], policyFactory(), NOW);

    // Assess
    expect(decision.detail).toBe('Lease ended at 2026-06-15T11:00:00.000Z.');
  });

  describe('properties over random groups', () => {
    it('deletes only a managed, expired group, or a marked, unmanaged one past its grace', () => {
      fc.assert(
        fc.property(
          groupArbitrary,
          policyArbitrary,
          clockArbitrary,
          ({ group, locks }, policy, now) => {
            // Act
            const { action } = classifyResourceGroup(group, locks, policy, now);

            // Assess
            if (action !== 'delete' && action !== 'delete-marked') return;
            const at = now.getTime();
            const managed = readTag(group.tags, 'managed-by') === policy.appName;
            const lease = parseInstant(readTag(group.tags, 'sandbox-expires-at') ?? '');
            const mark = parseInstant(readTag(group.tags, 'cleanup-delete-after') ?? '');
            if (action === 'delete')
              expect(managed && lease !== undefined && lease <= at).toBe(true);
            else {
              expect(
                !managed && policy.orphans === 'mark' && mark !== undefined && mark <= at,
              ).toBe(true);
            }
          },
        ),
        { numRuns: 2000 },
      );
    });

    it('never deletes, marks or warns about a locked, exempt, protected or deleting group', () => {
      fc.assert(
        fc.property(
          groupArbitrary,
          policyArbitrary,
          clockArbitrary,
          ({ group, locks }, policy, now) => {
            // Prepare
            const exemption = readTag(group.tags, 'cleanup-exempt-until');
            const exemptAt = exemption === undefined ? undefined : parseInstant(exemption);
            const exempt =
              exemption !== undefined && (exemptAt === undefined || exemptAt > now.getTime());
            const shielded =
              locks.length > 0 ||
              exempt ||
              matchProtectedPattern(group.name, policy.protectedPatterns) !== undefined ||
              group.provisioningState === 'Deleting';

            // Act
            const { action } = classifyResourceGroup(group, locks, policy, now);

            // Assess
            if (shielded) expect(action).toBe('skip');
          },
        ),
        { numRuns: 2000 },
      );
    });

    it('is pure: the same input gives the same decision', () => {
      fc.assert(
        fc.property(
          groupArbitrary,
          policyArbitrary,
          clockArbitrary,
          ({ group, locks }, policy, now) => {
            expect(
              classifyResourceGroup(structuredClone(group), locks, policy, new Date(now)),
            ).toEqual(classifyResourceGroup(group, locks, policy, now));
          },
        ),
      );
    });
  });
});
