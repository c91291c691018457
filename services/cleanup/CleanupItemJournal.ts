import { RecordConflictError } from '../../shared/errors.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import type { StoredRow, TableStore } from '../../shared/tables/TableStore.js';
import { type CleanupItemRecord, type CleanupTally, tallyShardOf } from './CleanupItemRecord.js';
import { type CleanupItemOutcome, TERMINAL_ITEM_STATUSES } from './CleanupRun.js';

/** How many times finishing retries when only the tally moved on meanwhile. */
const TALLY_RETRIES = 20;

/**
 * One applied item's row, as a worker holds it: the plan's entry, the outcome, and the ETag they
 * were read or written with. Every write is conditional on that ETag, so two deliveries of the
 * same message never both act; finishing writes the outcome and counts it in the run's tally in
 * one transaction, so each item is counted exactly once however often it is delivered.
 *
 * @example
 * const journal = await CleanupItemJournal.open(items, runId, 'sub-1', 'sbx-ana');
 * await journal.save({ ...journal.outcome!, status: 'in-progress' });
 */
export class CleanupItemJournal {
  private constructor(
    private readonly items: TableStore,
    readonly runId: string,
    readonly rowKey: string,
    private current: StoredRow<CleanupItemRecord> | undefined,
  ) {}

  /** Reads the item's row; `value` is `undefined` when the run has no such applied item. */
  static async open(
    items: TableStore,
    runId: string,
    subscriptionId: string,
    group: string,
  ): Promise<CleanupItemJournal> {
    const rowKey = recordKeys.cleanupItems.item(subscriptionId, group);
    return new CleanupItemJournal(
      items,
      runId,
      rowKey,
      await items.get<CleanupItemRecord>(runId, rowKey),
    );
  }

  get value(): CleanupItemRecord | undefined {
    return this.current?.value;
  }

  get outcome(): CleanupItemOutcome | undefined {
    return this.current?.value.outcome;
  }

  /** Writes the outcome over the version held; `RecordConflictError` when someone wrote since. */
  async save(outcome: CleanupItemOutcome): Promise<void> {
    const current = this.held();
    const value: CleanupItemRecord = { ...current.value, outcome };
    const [etag] = await this.items.transact(this.runId, [
      { kind: 'replace', rowKey: this.rowKey, value, etag: current.etag },
    ]);
    this.current = { rowKey: this.rowKey, value, etag: etag! };
  }

  /**
   * Writes a terminal outcome and counts it in the run's tally, together. Answers `false`, and
   * holds the other outcome, when someone else finished the item first; throws
   * `RecordConflictError` when someone else changed it without finishing it.
   */
  async finish(outcome: CleanupItemOutcome): Promise<boolean> {
    const tallyKey = recordKeys.cleanupItems.tally(tallyShardOf(this.rowKey));
    for (let attempt = 0; ; attempt++) {
      const current = this.held();
      const tally = await this.items.get<CleanupTally>(this.runId, tallyKey);
      const counts = { ...tally?.value.counts };
      counts[outcome.status] = (counts[outcome.status] ?? 0) + 1;
      const value: CleanupItemRecord = { ...current.value, outcome };
      try {
        const [etag] = await this.items.transact(this.runId, [
          { kind: 'replace', rowKey: this.rowKey, value, etag: current.etag },
          tally
            ? { kind: 'replace', rowKey: tallyKey, value: { counts }, etag: tally.etag }
            : { kind: 'create', rowKey: tallyKey, value: { counts } },
        ]);
        this.current = { rowKey: this.rowKey, value, etag: etag! };
        return true;
      } catch (error) {
        if (!(error instanceof RecordConflictError) || attempt >= TALLY_RETRIES) throw error;
        const now = await this.items.get<CleanupItemRecord>(this.runId, this.rowKey);
        if (now?.etag === current.etag) continue; // only the tally moved on: count again
        this.current = now;
        const other = now?.value.outcome;
        if (other && TERMINAL_ITEM_STATUSES.has(other.status)) return false;
        throw error;
      }
    }
  }

  private held(): StoredRow<CleanupItemRecord> {
    if (!this.current) throw new Error(`No row ${this.rowKey} in run ${this.runId}.`);
    return this.current;
  }
}
