import pLimit from 'p-limit';
import { z } from 'zod';
import type { RecordStore } from '../../shared/records/RecordStore.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import type { CleanupRun } from './CleanupRun.js';
import { CLEANUP_RUN_ID } from './cleanupRunId.js';

/** A run in the list of runs: enough to pick one and open it. */
export type CleanupRunSummary = Pick<
  CleanupRun,
  | 'runId'
  | 'mode'
  | 'status'
  | 'trigger'
  | 'requestedBy'
  | 'requestedAt'
  | 'counts'
  | 'approvedBy'
  | 'blastRadius'
>;

/** The most runs one list answers. */
export const MAX_LISTED_RUNS = 100;

/** The query of `GET /api/cleanup/runs`: how many of the newest runs. */
export const cleanupRunListQuerySchema = z.object({
  top: z.coerce.number().int().min(1).max(MAX_LISTED_RUNS).default(20),
});

/**
 * The most recent cleanup runs, newest first (run ids sort by time), for
 * `GET /api/cleanup/runs`. Only each run's own record is read, never its items.
 *
 * @example
 * (await listCleanupRuns({ records }, 20))[0]?.status; // 'blocked'
 */
export async function listCleanupRuns(
  ports: { records: RecordStore },
  top: number,
): Promise<CleanupRunSummary[]> {
  const prefix = 'cleanup/runs/';
  const ids: string[] = [];
  for await (const folder of ports.records.listFolders(prefix)) {
    const id = folder.slice(prefix.length, -1);
    if (CLEANUP_RUN_ID.test(id)) ids.push(id);
  }
  const newest = ids.sort().reverse().slice(0, Math.min(top, MAX_LISTED_RUNS));
  const limit = pLimit(8);
  const runs = await Promise.all(
    newest.map((id) => limit(() => ports.records.get<CleanupRun>(recordKeys.cleanup.run(id)))),
  );
  return runs.flatMap((record) => {
    if (!record) return [];
    const run = record.value;
    return [
      {
        runId: run.runId,
        mode: run.mode,
        status: run.status,
        trigger: run.trigger,
        requestedBy: run.requestedBy,
        requestedAt: run.requestedAt,
        ...(run.counts ? { counts: run.counts } : {}),
        ...(run.approvedBy ? { approvedBy: run.approvedBy } : {}),
        ...(run.blastRadius ? { blastRadius: run.blastRadius } : {}),
      },
    ];
  });
}
