/**
 * An in-memory `TableStore` with the Azure Table's semantics: values are stored as JSON text,
 * every write gets a new ETag, a transaction applies all of its actions or none, and conflicts
 * throw `RecordConflictError` exactly where the real store does. It counts its operations, so a
 * test can see how the work done grows with the number of records.
 */
import { RecordConflictError } from '../../../shared/errors.js';
import {
  type ListRowsOptions,
  MAX_TRANSACTION_ACTIONS,
  type StoredRow,
  type TableAction,
  type TableStore,
} from '../../../shared/tables/TableStore.js';

interface Row {
  text: string;
  etag: string;
}

export class InMemoryTableStore implements TableStore {
  /** Storage operations by kind: one per request the real store would send. */
  readonly operations = { get: 0, list: 0, transact: 0 };
  private readonly partitions = new Map<string, Map<string, Row>>();
  private version = 0;
  /** Runs before every transaction; throw to simulate a storage failure. */
  beforeWrite?: (partitionKey: string, actions: readonly TableAction[]) => void | Promise<void>;

  constructor(readonly name = 'in-memory') {}

  async get<T>(partitionKey: string, rowKey: string): Promise<StoredRow<T> | undefined> {
    this.operations.get += 1;
    const row = this.partitions.get(partitionKey)?.get(rowKey);
    return row && { rowKey, value: JSON.parse(row.text) as T, etag: row.etag };
  }

  async *list<T>(
    partitionKey: string,
    prefix: string,
    options: ListRowsOptions = {},
  ): AsyncIterable<StoredRow<T>> {
    const { after, limit = Number.POSITIVE_INFINITY } = options;
    if (limit <= 0) return;
    const rows = [...(this.partitions.get(partitionKey) ?? new Map<string, Row>()).entries()]
      .filter(([key]) => key.startsWith(prefix) && (after === undefined || key > after))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, limit);
    // One request per page of a thousand, as the real store pages.
    this.operations.list += Math.max(1, Math.ceil(rows.length / 1000));
    for (const [rowKey, row] of rows) {
      yield { rowKey, value: JSON.parse(row.text) as T, etag: row.etag };
    }
  }

  async transact(partitionKey: string, actions: readonly TableAction[]): Promise<string[]> {
    if (actions.length === 0) return [];
    if (actions.length > MAX_TRANSACTION_ACTIONS) {
      throw new RangeError(
        `a transaction takes at most ${MAX_TRANSACTION_ACTIONS} actions, not ${actions.length}`,
      );
    }
    if (new Set(actions.map((a) => a.rowKey)).size !== actions.length) {
      throw new RangeError('a transaction may write each row once');
    }
    this.operations.transact += 1;
    await this.beforeWrite?.(partitionKey, actions);
    const rows = this.partitions.get(partitionKey) ?? new Map<string, Row>();
    const where = `${this.name}/${partitionKey}`;
    for (const action of actions) {
      const current = rows.get(action.rowKey);
      const conflict =
        (action.kind === 'create' && current !== undefined) ||
        (action.kind === 'replace' && current?.etag !== action.etag);
      if (conflict) {
        throw new RecordConflictError(where, `a row of ${where} changed since it was read`);
      }
    }
    const texts = actions.map((a) => {
      const text = JSON.stringify(a.value);
      if (text === undefined) throw new TypeError(`row ${a.rowKey} is not JSON-serializable`);
      return text;
    });
    this.partitions.set(partitionKey, rows);
    return actions.map((action, i) => {
      this.version += 1;
      const etag = `W/"datetime'${this.version}'"`;
      rows.set(action.rowKey, { text: texts[i]!, etag });
      return etag;
    });
  }

  /** Every row key of a partition, sorted: for assertions. */
  rowKeys(partitionKey: string): string[] {
    return [...(this.partitions.get(partitionKey)?.keys() ?? [])].sort();
  }
}
