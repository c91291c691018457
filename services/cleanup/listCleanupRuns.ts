import pLimit from 'p-limit';
import { z } from 'zod';
import type { RecordStore } from '../../shared/records/RecordStore.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import type { TableStore } from '../../shared/tables/TableStore.js';
import type { CleanupItemStatus, CleanupRun } from './CleanupRun.js';
import { CLEANUP_RUN_ID } from './cleanupRunId.js';
import { appliedItemCount } from './planCleanup.js';
import { readCleanupTally } from './readCleanupTally.js';

/** A run in the list of runs: enough to pick one, open it, and see how far it got. */
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
  | 'enqueued'
  | 'finishedAt'
> & {
  /** Applied items that ended, by outcome: final once completed, counted so far while applying. */
  outcomes?: Partial<Record<CleanupItemStatus, number>>;
};

/** The most runs one list answers. */
export const MAX_LISTED_RUNS = 100;

/** The query of `GET /api/cleanup/runs`: how many of the newest runs. */
export const cleanupRunListQuerySchema = z.object({
  top: z.coerce.number().int().min(1).max(MAX_LISTED_RUNS).default(20),
});

/**
 * The most recent cleanup runs, newest first (by when they were requested), for
 * `GET /api/cleanup/runs`. Each run's own record is read, never its items; a run still applying
 * adds its tally (at most `TALLY_SHARDS` rows), so the list shows how far it got.
 *
 * @example
 * (await listCleanupRuns({ records, items }, 20))[0]?.status; // 'blocked'
 */
export async function listCleanupRuns(
  ports: { records: RecordStore; items: TableStore },
  top: number,
): Promise<CleanupRunSummary[]> {
  const prefix = 'cleanup/runs/';
  const ids: string[] = [];
  for await (const folder of ports.records.listFolders(prefix)) {
    const id = folder.slice(prefix.length, -1);
    if (CLEANUP_RUN_ID.test(id)) ids.push(id);
  }
  // Run ids sort by the second they were made in; runs of the same second are ordered by when
  // they were requested, so every run of the last second taken is read.
  const wanted = Math.min(top, MAX_LISTED_RUNS);
  const sorted = ids.sort().reverse();
  const secondOf = (id: string) => id.slice(0, id.indexOf('-'));
  const last = sorted[wanted - 1];
  const candidates = sorted.filter(
    (id, i) => i < wanted || (last !== undefined && secondOf(id) === secondOf(last)),
  );
  const limit = pLimit(8);
  const runs = await Promise.all(candidates.map((id) => limit(() => summarize(ports, id))));
  return runs
    .flatMap((run) => (run ? [run] : []))
    .sort((a, b) => b.requestedAt.localeCompare(a.requestedAt) || b.runId.localeCompare(a.runId))
    .slice(0, wanted);
}

async function summarize(
  ports: { records: RecordStore; items: TableStore },
  runId: string,
): Promise<CleanupRunSummary | undefined> {
  const record = await ports.records.get<CleanupRun>(recordKeys.cleanup.run(runId));
  if (!record) return undefined;
  const run = record.value;
  const tally =
    run.status === 'applying' && !run.outcomes
      ? await readCleanupTally(ports.items, runId)
      : undefined;
  const outcomes = run.outcomes ?? tally?.byStatus;
  // As the run's own view: every applied item ended is completed, should the last step that
  // marks it so still be on its way.
  const applied = run.counts ? appliedItemCount(run.counts) : undefined;
  const ended = tally !== undefined && applied !== undefined && tally.terminal >= applied;
  return {
    runId: run.runId,
    mode: run.mode,
    status: ended ? 'completed' : run.status,
    trigger: run.trigger,
    requestedBy: run.requestedBy,
    requestedAt: run.requestedAt,
    ...(run.counts ? { counts: run.counts } : {}),
    ...(run.approvedBy ? { approvedBy: run.approvedBy } : {}),
    ...(run.blastRadius ? { blastRadius: run.blastRadius } : {}),
    ...(run.enqueued === undefined ? {} : { enqueued: run.enqueued }),
    ...(outcomes ? { outcomes } : {}),
    ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
  };
}
