/**
 * A new run id: the UTC time to the second, then random hex, so ids sort by time.
 *
 * @example
 * newCleanupRunId(new Date('2026-01-02T03:04:05Z'), () => 0.5); // '20260102T030405Z-800000'
 */
export function newCleanupRunId(now: Date, random: () => number = Math.random): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const suffix = Math.floor(random() * 0x1000000)
    .toString(16)
    .padStart(6, '0');
  return `${stamp}-${suffix}`;
}

/** Run ids as `newCleanupRunId` makes them; anything else is rejected before touching storage. */
export const CLEANUP_RUN_ID = /^\d{8}T\d{6}Z-[0-9a-f]{6}$/;
