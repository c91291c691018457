import { describe, expect, it } from 'vitest';
import { CLEANUP_RUN_ID, newCleanupRunId } from '../../../../services/cleanup/cleanupRunId.js';

describe('newCleanupRunId', () => {
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
