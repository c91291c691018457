/**
 * What an applied run costs in storage as it grows: every record, table and queue operation of a
 * whole run over the in-memory fakes, counted (not timed), for runs of different sizes.
 */
import { describe, expect, it } from 'vitest';
import { tableNames } from '../../../../shared/tables/tableNames.js';
import { cleanupHarness } from '../../../support/cleanup/cleanupHarness.js';

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** Plans and applies a run over `n` expired sandboxes; counts every storage operation. */
async function storageOperationsFor(n: number) {
  const h = cleanupHarness({ policy: { maxDeletes: 100_000, maxDeleteFraction: 1 } });
  const runId = await h.requestApplyRunOverExpired(n);
  await h.drain();
  const operations =
    sum(h.records.operations) +
    sum(h.platform.table(tableNames.cleanupItems).operations) +
    h.requests.sent.length;
  return { operations, run: await h.read.run(runId), remaining: h.groups.names().length };
}

describe('an applied cleanup run at scale', () => {
  it('spends a constant number of storage operations per item, from 500 to 2,000 items', async () => {
    // Act
    const small = await storageOperationsFor(500);
    const medium = await storageOperationsFor(1_000);
    const large = await storageOperationsFor(2_000);

    // Assess: every run completed and deleted everything it planned...
    for (const { run, remaining } of [small, medium, large]) {
      expect(run).toMatchObject({ status: 'completed', outcomes: { deleted: run?.enqueued } });
      expect(remaining).toBe(0);
    }
    // ...and each further item cost what the ones before did: linear, not quadratic, growth.
    const perItemBelow1000 = (medium.operations - small.operations) / 500;
    const perItemAbove1000 = (large.operations - medium.operations) / 1_000;
    expect(Math.abs(perItemAbove1000 - perItemBelow1000)).toBeLessThan(0.01);
    // Per item: its message, its row read, the delete's start, two audit entries (each appended
    // to the day's log and to the group's history log; these groups have none yet, so the first
    // append also meets a 404 and creates it), the tally read, the outcome with the tally, and
    // the fan-in's look at the tally; a row write per hundred.
    expect(perItemAbove1000).toBeLessThan(13);
    expect(large.operations).toBeLessThanOrEqual(2 * medium.operations);
  });
});
