import { describe, expect, it } from 'vitest';
import {
  CLEANUP_RUN_ID,
  cleanupRecordKeys,
  newCleanupRunId,
} from '../../../../services/cleanup/cleanupRecordKeys.js';

describe('cleanupRecordKeys', () => {
  it.each([
    {
      description: 'the plan',
      key: cleanupRecordKeys.plan('r1'),
      expected: 'cleanup/runs/r1/plan.json',
    },
    {
      description: 'the summary',
      key: cleanupRecordKeys.summary('r1'),
      expected: 'cleanup/runs/r1/summary.md',
    },
    {
      description: 'an item',
      key: cleanupRecordKeys.item('r1', 's', 'g'),
      expected: 'cleanup/runs/r1/items/s/g.json',
    },
    {
      description: 'an audit entry',
      key: cleanupRecordKeys.audit(new Date('2026-01-02T03:04:05.678Z'), 'r1', 's', 'g', 'deleted'),
      expected: 'audit/2026-01-02/2026-01-02T03:04:05.678Z-cleanup.deleted-r1-s-g.json',
    },
  ])('places $description', ({ key, expected }) => {
    expect(key).toBe(expected);
  });

  it('makes run ids that sort by time and pass validation', () => {
    // Act
    const a = newCleanupRunId(new Date('2026-01-02T03:04:05.999Z'), () => 0.999);
    const b = newCleanupRunId(new Date('2026-01-02T03:04:06Z'), () => 0);

    // Assess
    expect(a).toBe('20260102T030405Z-ffbe76');
    expect(b).toBe('20260102T030406Z-000000');
    expect(a < b).toBe(true);
    expect(CLEANUP_RUN_ID.test(a)).toBe(true);
  });
});
