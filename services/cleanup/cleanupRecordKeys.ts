/**
 * Where cleanup keeps its records. Each applied item has its own key so that parallel workers
 * never write the same document; group names are unique only per subscription, hence the
 * subscription in the item's key.
 *
 * @example
 * cleanupRecordKeys.item('20260101T000000Z-ab12cd', 'sub-1', 'sbx-ana');
 * // 'cleanup/runs/20260101T000000Z-ab12cd/items/sub-1/sbx-ana.json'
 */
export const cleanupRecordKeys = {
  run: (runId: string) => `cleanup/runs/${runId}/run.json`,
  plan: (runId: string) => `cleanup/runs/${runId}/plan.json`,
  summary: (runId: string) => `cleanup/runs/${runId}/summary.md`,
  itemsPrefix: (runId: string) => `cleanup/runs/${runId}/items/`,
  item: (runId: string, subscriptionId: string, group: string) =>
    `cleanup/runs/${runId}/items/${subscriptionId}/${group}.json`,
  /** Points at the most recently requested run. */
  latest: () => 'cleanup/latest.json',
  /** Marks that a lease warning was sent, so each lease end is warned about once. */
  warning: (subscriptionId: string, group: string, expiresAt: string) =>
    `cleanup/warnings/${subscriptionId}/${group}/${expiresAt.replace(/[^0-9A-Za-z]/g, '')}.json`,
  /** Beside the provisioning trail (`audit/{day}/…`), so one day's entries list in time order. */
  audit: (at: Date, runId: string, subscriptionId: string, group: string, event: string) =>
    `audit/${at.toISOString().slice(0, 10)}/${at.toISOString()}-cleanup.${event}-${runId}-${subscriptionId}-${group}.json`,
} as const;

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
