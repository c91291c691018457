import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkBlastRadius } from '../../../../services/cleanup/checkBlastRadius.js';

const limits = { maxDeletes: 25, maxDeleteFraction: 0.5 };

describe('checkBlastRadius', () => {
  it.each([
    { description: 'nothing to delete', deletes: 0, governed: 0, tripped: false },
    { description: 'exactly the count limit', deletes: 25, governed: 100, tripped: false },
    { description: 'one more than the count limit', deletes: 26, governed: 100, tripped: true },
    { description: 'exactly the share limit', deletes: 5, governed: 10, tripped: false },
    { description: 'just over the share limit', deletes: 6, governed: 10, tripped: true },
    { description: 'the only governed group', deletes: 1, governed: 1, tripped: true },
  ])('with $description, tripped is $tripped', ({ deletes, governed, tripped }) => {
    // Act
    const result = checkBlastRadius(deletes, governed, limits);

    // Assess
    expect(result.tripped).toBe(tripped);
    expect(result.reasons.length > 0).toBe(tripped);
  });

  it('states both numbers when both limits are crossed', () => {
    // Act
    const result = checkBlastRadius(30, 40, limits);

    // Assess
    expect(result.reasons).toEqual([
      'Would delete 30 groups, more than the limit of 25.',
      'Would delete 30 of 40 governed groups (75%), more than the limit of 50%.',
    ]);
  });

  it('trips exactly when deletes > maxDeletes or deletes / governed > maxDeleteFraction', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 100 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (deletes, extra, maxDeletes, maxDeleteFraction) => {
          // Prepare: a run never deletes more groups than it governs
          const governed = deletes + extra;

          // Act
          const result = checkBlastRadius(deletes, governed, { maxDeletes, maxDeleteFraction });

          // Assess
          const overShare = governed > 0 && deletes / governed > maxDeleteFraction;
          expect(result.tripped).toBe(deletes > maxDeletes || overShare);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
