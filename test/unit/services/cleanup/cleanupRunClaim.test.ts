import { describe, expect, it } from 'vitest';
import type { CleanupRun } from '../../../../services/cleanup/CleanupRun.js';
import {
  CLEANUP_RUN_HOLDS_FOR,
  type CleanupRunClaim,
  cleanupRunHolds,
} from '../../../../services/cleanup/cleanupRunClaim.js';
import { HOUR, inHours, NOW, SUB } from '../../../support/cleanup/cleanupFixtures.js';

const claim: CleanupRunClaim = { runId: 'r1', subscriptions: [SUB], claimedAt: inHours(-0.01) };

const run = (overrides: Partial<CleanupRun>): CleanupRun => ({
  runId: 'r1',
  mode: 'apply',
  trigger: 'timer',
  requestedBy: 'schedule',
  status: 'queued',
  subscriptions: [SUB],
  requestedAt: inHours(-0.5),
  ...overrides,
});

describe('cleanupRunHolds', () => {
  it.each([
    { description: 'a queued run, just requested', run: run({}), holds: true },
    {
      description: 'a queued run, requested longer ago than planning can take',
      run: run({ requestedAt: inHours(-2) }),
      holds: false,
    },
    {
      description: 'a queued run whose plan message was sent again lately',
      run: run({ requestedAt: inHours(-2), resentAt: inHours(-0.1) }),
      holds: true,
    },
    {
      description: 'a blocked run awaiting approval',
      run: run({ status: 'blocked', plannedAt: inHours(-23) }),
      holds: true,
    },
    {
      description: 'a blocked run nobody approved within a day',
      run: run({ status: 'blocked', requestedAt: inHours(-25), plannedAt: inHours(-25) }),
      holds: false,
    },
    {
      description: 'an applying run',
      run: run({ status: 'applying', plannedAt: inHours(-3), enqueuedAt: inHours(-3) }),
      holds: true,
    },
    {
      description: 'a run approved a day after it was planned',
      run: run({
        status: 'applying',
        requestedAt: inHours(-30),
        plannedAt: inHours(-30),
        approvedAt: inHours(-1),
      }),
      holds: true,
    },
    {
      description: 'an applying run that has not ended in a day',
      run: run({ status: 'applying', requestedAt: inHours(-25), plannedAt: inHours(-25) }),
      holds: false,
    },
    { description: 'a completed run', run: run({ status: 'completed' }), holds: false },
    { description: 'a failed run', run: run({ status: 'failed' }), holds: false },
  ])('judges $description', ({ run, holds }) => {
    expect(cleanupRunHolds(run, claim, NOW)).toBe(holds);
  });

  it('holds a claim whose run is not written yet only while its requester may still write it', () => {
    // Assess
    expect(cleanupRunHolds(undefined, claim, NOW)).toBe(true);
    expect(
      cleanupRunHolds(undefined, claim, new Date(NOW.getTime() + CLEANUP_RUN_HOLDS_FOR.starting)),
    ).toBe(false);
  });

  it('lets a blocked run hold its subscriptions for exactly a day', () => {
    // Prepare
    const blocked = run({ status: 'blocked', plannedAt: NOW.toISOString() });

    // Assess
    expect(cleanupRunHolds(blocked, claim, new Date(NOW.getTime() + 24 * HOUR - 1))).toBe(true);
    expect(cleanupRunHolds(blocked, claim, new Date(NOW.getTime() + 24 * HOUR))).toBe(false);
  });
});
