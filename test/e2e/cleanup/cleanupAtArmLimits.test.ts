/**
 * An applied run at ARM's real throttling limits (the emulator's token buckets as ARM's defaults:
 * deletes 200 refilled at 10 a second, reads 250 at 25), over more groups than a bucket holds and
 * with faults injected, through the whole local stack.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acceptedDeletes,
  groupExists,
  leaseTags,
  outcomesByGroup,
  seedGroups,
  startRun,
  waitForRun,
} from '../../support/cleanup/cleanupE2e.js';
import { type Stack, startStack } from '../../support/stack.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    settings: {
      CLEANUP_MAX_DELETES: '100000',
      CLEANUP_MAX_DELETE_FRACTION: '1',
      // At most 60 items on the queue ahead of the workers: the run goes out in waves, as a large one does.
      CLEANUP_QUEUE_AHEAD: '60',
    },
    emulator: {
      throttling: {
        reads: { capacity: 250, refillPerSecond: 25 },
        writes: { capacity: 200, refillPerSecond: 10 },
        deletes: { capacity: 200, refillPerSecond: 10 },
      },
    },
    verbose: process.env.CLEANUP_E2E_VERBOSE === '1',
  });
});

afterAll(async () => {
  await stack?.stop();
});

describe('cleanup at ARM’s throttling limits', () => {
  it('ends every item terminal through faults, deleting nothing twice', async () => {
    // Prepare: 260 expired sandboxes, 60 more than ARM's delete bucket holds.
    const names = Array.from({ length: 260 }, (_, i) => `sbx-limit-${String(i).padStart(3, '0')}`);
    await seedGroups(
      stack,
      names.map((name) => ({ name, tags: leaseTags(-1) })),
    );
    await stack.arm.control.clearRequests();
    await stack.arm.control.setFaults({
      seed: 23,
      status429Rate: 0.05,
      status503Rate: 0.05,
      status500Rate: 0.03,
      dropRate: 0.01,
    });

    // Act
    const runId = await startRun(stack, { dryRun: false });
    const view = await waitForRun(stack, runId, 300_000);
    await stack.arm.control.setFaults({});

    // Assess
    const stats = await stack.arm.control.stats();
    expect(stats.faultsInjected).toBeGreaterThan(0);
    expect(view.status).toBe('completed');
    const outcomes = outcomesByGroup(view);
    expect(Object.keys(outcomes).sort()).toEqual(names);
    for (const name of names) {
      expect(['deleted', 'already-gone', 'failed']).toContain(outcomes[name]);
      expect(groupExists(stack, name)).toBe(outcomes[name] === 'failed');
    }
    for (const [, count] of await acceptedDeletes(stack)) expect(count).toBe(1);
  }, 400_000);
});
