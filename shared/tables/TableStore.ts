/**
 * The port for JSON records kept in one Azure Table, grouped by partition. A partition holds the
 * records of one unit of work (a cleanup run's items and tallies, say), so they can be written
 * together atomically and read back without listing a whole container. The real implementation
 * (`AzureTableStore`) uses each entity's ETag for optimistic concurrency; fast tests use an
 * in-memory fake with the same semantics, checked by the same contract.
 */
import type { StoredRecord } from '../records/RecordStore.js';

/** A record of a partition, with its row key and the ETag it was read or written with. */
export interface StoredRow<T> extends StoredRecord<T> {
  rowKey: string;
}

/** One write of a transaction. */
export type TableAction<T = unknown> =
  /** Only when the row does not exist yet. */
  | { kind: 'create'; rowKey: string; value: T }
  /** Only over the version with this ETag. */
  | { kind: 'replace'; rowKey: string; value: T; etag: string }
  /** Whatever is there. */
  | { kind: 'upsert'; rowKey: string; value: T };

/** Where a listing starts and how much of it is read. */
export interface ListRowsOptions {
  /** Only rows whose key sorts after this one (a cursor: the last key read before). */
  after?: string;
  /** At most this many rows. */
  limit?: number;
}

/** Azure Tables' limit on the writes of one entity group transaction. */
export const MAX_TRANSACTION_ACTIONS = 100;

export interface TableStore {
  /** The row, or `undefined` when there is none. */
  get<T>(partitionKey: string, rowKey: string): Promise<StoredRow<T> | undefined>;
  /**
   * Every row of the partition whose key starts with `prefix`, in row key order; with `after`,
   * only those whose key sorts after it, and with `limit`, at most that many (read in one request
   * when it is at most a page of a thousand).
   */
  list<T>(
    partitionKey: string,
    prefix: string,
    options?: ListRowsOptions,
  ): AsyncIterable<StoredRow<T>>;
  /**
   * Applies every action, or none: one entity group transaction of at most
   * `MAX_TRANSACTION_ACTIONS` actions on distinct rows of one partition. Throws
   * `RecordConflictError` when a `create` finds its row or a `replace` does not find its ETag.
   * Answers the new ETags, in the order of the actions.
   */
  transact(partitionKey: string, actions: readonly TableAction[]): Promise<string[]>;
}
