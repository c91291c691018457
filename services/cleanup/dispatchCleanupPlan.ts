import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import { RecordConflictError } from '../../shared/errors.js';
import type { RecordJournal } from '../../shared/records/RecordJournal.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import { sandboxExpiring } from '../notifications/events.js';
import { readTag, TAG_EXPIRES_AT, TAG_OWNER } from '../sandbox/sandboxTags.js';
import type { CleanupItemRecord } from './CleanupItemRecord.js';
import type { CleanupMessage } from './CleanupMessage.js';
import type { CleanupPorts } from './CleanupPorts.js';
import type { CleanupRun } from './CleanupRun.js';
import { finalizeCleanupRun } from './finalizeCleanupRun.js';
import { APPLIED_ACTIONS, appliedItemCount, type CleanupPlan } from './planCleanup.js';
import { readCleanupTally } from './readCleanupTally.js';
import { writeCleanupItems } from './writeCleanupItems.js';

/** Lease warnings written and sent at once. */
const WARNING_CONCURRENCY = 16;
/**
 * How many of a run's items may be unfinished at once, unless the settings say: an item is
 * unfinished while its delete runs too, which in Azure takes minutes, so the default covers more
 * than a quarter of an hour of ARM's ten deletes a second. (Locally, where Azurite's queue costs
 * more the more messages it holds and the emulator's deletes are quick, `npm start` sets 500.)
 */
export const DEFAULT_QUEUE_AHEAD = 10_000;
/** How long after a wave the next one is looked at. */
export const WAVE_INTERVAL_SECONDS = 2;

/** How a run's items go on the queue. */
export interface DispatchOptions {
  /** Items unfinished at once (`CLEANUP_QUEUE_AHEAD`); default `DEFAULT_QUEUE_AHEAD`. */
  queueAhead?: number;
}

/**
 * Carries out the side effects of a run that is `applying` (its record, held by `journal`,
 * already says so): the row of every group to delete or mark, with the plan's entry for it (a
 * worker reads its row, never the whole plan), and one lease warning per expiring sandbox
 * (`sandbox.expiring`) (once per lease end, however many runs see it); then the first wave of
 * `cleanup-requests` item messages (`dispatchNextCleanupItems`). Safe to call again after a crash:
 * existing rows are kept, workers ignore items that are already done, a warning already sent is
 * not sent twice, and waves go on from where the last one that was recorded ended.
 *
 * @example
 * const run = await dispatchCleanupPlan(journal, plan, ports);
 * run.dispatch?.sent; // 12
 */
export async function dispatchCleanupPlan(
  journal: RecordJournal<CleanupRun>,
  plan: CleanupPlan,
  ports: Pick<CleanupPorts, 'records' | 'items' | 'requests' | 'events' | 'logger' | 'clock'>,
  options: DispatchOptions = {},
): Promise<CleanupRun> {
  const run = journal.value!;
  const applied = plan.items.filter((item) => APPLIED_ACTIONS.has(item.action));
  const dispatched = {
    requestedBy: run.requestedBy,
    ...(run.approvedBy ? { approvedBy: run.approvedBy } : {}),
    applied: applied.length,
  };
  await writeCleanupItems(ports.items, run.runId, dispatched, applied, plan.policy);
  const limit = pLimit(WARNING_CONCURRENCY);
  await Promise.all(
    plan.items
      .filter((i) => i.action === 'warn')
      .map((item) =>
        limit(async () => {
          const expiresAt = readTag(item.tags, TAG_EXPIRES_AT) ?? '';
          try {
            await ports.records.create(
              recordKeys.cleanup.leaseWarning(item.subscriptionId, item.name, expiresAt),
              { runId: run.runId },
            );
          } catch (error) {
            if (error instanceof RecordConflictError) return;
            throw error;
          }
          const owner = readTag(item.tags, TAG_OWNER);
          await ports.events.publish(
            sandboxExpiring({
              sandbox: item.name,
              subscriptionId: item.subscriptionId,
              ...(owner ? { owner } : {}),
              expiresAt,
              detail: item.detail,
              runId: run.runId,
              time: ports.clock.now().toISOString(),
            }),
          );
        }),
      ),
  );
  // Every row is written: from here on, waves read rows and never the plan.
  const at = ports.clock.now().toISOString();
  await journal.update((r) =>
    r.dispatch || r.enqueuedAt ? undefined : { ...r, dispatch: { sent: 0, wave: newWave(), at } },
  );
  return dispatchNextCleanupItems(journal, ports, options);
}

/**
 * Sends an applying run's next wave of item messages: the rows after the last one sent, as many
 * as keep `queueAhead` items unfinished (sent, and not yet terminal by the run's tally), and, while
 * rows remain, one message for the next wave `WAVE_INTERVAL_SECONDS` later, marked with a new
 * wave that the run's record then names. So the queue holds at most `queueAhead` of a run's items
 * whatever its size, and workers are fed as fast as they (and ARM) finish items.
 *
 * Called for the message of a wave (`wave`), it does nothing unless that is the wave the run's
 * record names: of two messages for the same wave (a redelivery, or the message sent for a run
 * that looked stranded), the first to record its wave wins and the other's next message is stale.
 * A crash at any point sends some items twice at most (workers ignore a finished item), and the
 * message of the wave comes again. Once every item is sent, the run records `enqueued`; a run with
 * nothing to apply is complete at once; otherwise its last item completes it.
 *
 * @example
 * await dispatchNextCleanupItems(journal, ports, { wave: message.wave, queueAhead: 500 });
 */
export async function dispatchNextCleanupItems(
  journal: RecordJournal<CleanupRun>,
  ports: Pick<CleanupPorts, 'records' | 'items' | 'requests' | 'events' | 'logger' | 'clock'>,
  options: DispatchOptions & { wave?: string } = {},
): Promise<CleanupRun> {
  const run = journal.value!;
  const dispatch = run.dispatch;
  if (!run.counts || !dispatch || run.status !== 'applying' || run.enqueuedAt !== undefined) {
    return run;
  }
  if (options.wave !== undefined && options.wave !== dispatch.wave) return run;
  const { runId } = run;
  const applied = appliedItemCount(run.counts);
  const { terminal } = await readCleanupTally(ports.items, runId);
  const room = Math.max(
    0,
    Math.min(
      (options.queueAhead ?? DEFAULT_QUEUE_AHEAD) - (dispatch.sent - terminal),
      applied - dispatch.sent,
    ),
  );
  const messages: CleanupMessage[] = [];
  let after = dispatch.after;
  for await (const row of ports.items.list<CleanupItemRecord>(
    runId,
    recordKeys.cleanupItems.itemsPrefix(),
    { ...(after === undefined ? {} : { after }), limit: room },
  )) {
    messages.push({
      kind: 'item',
      runId,
      subscriptionId: row.value.planned.subscriptionId,
      group: row.value.planned.name,
    });
    after = row.rowKey;
  }
  if (messages.length > 0) await ports.requests.sendMany(messages);
  const sent = dispatch.sent + messages.length;
  // Fewer rows than there was room for: none is left (every row was written before the first wave).
  const finished = sent >= applied || messages.length < room;
  const at = ports.clock.now().toISOString();
  const wave = newWave();
  // The next wave's message before the record names it: a crash between the two leaves a stale
  // message and this one, which comes again.
  if (!finished) {
    await ports.requests.send(
      { kind: 'plan', runId, wave },
      { visibilityTimeoutSeconds: WAVE_INTERVAL_SECONDS },
    );
  }
  let advanced = false;
  const saved = await journal.update((r) => {
    // Another message of this wave may have gone first: then its record stands, not this one.
    advanced = r.dispatch?.wave === dispatch.wave && r.enqueuedAt === undefined;
    if (!advanced) return undefined;
    const next = { ...r, dispatch: { sent, ...(after === undefined ? {} : { after }), wave, at } };
    return finished ? { ...next, enqueued: sent, enqueuedAt: at } : next;
  });
  if (!advanced) return saved;
  if (messages.length > 0 || finished) {
    ports.logger.info(finished ? 'cleanup plan dispatched' : 'cleanup items dispatched', {
      runId,
      sent: messages.length,
      enqueued: sent,
      ...(finished ? {} : { of: applied }),
    });
  }
  return applied === 0 ? ((await finalizeCleanupRun(runId, ports)) ?? saved) : saved;
}

/** A fresh mark for a wave's message. */
function newWave(): string {
  return randomUUID();
}
