/**
 * The port for durable JSON records (operations, plans, run items) and logs (the audit trail).
 * The real implementation keeps each record in its own blob and uses the blob's ETag for
 * optimistic concurrency, and each log in an append blob; fast tests use an in-memory fake with
 * the same semantics.
 */

/** A record with the ETag it was read or written with. */
export interface StoredRecord<T> {
  value: T;
  etag: string;
}

export interface RecordStore {
  /** The record under `key`, or `undefined` when there is none. */
  get<T>(key: string): Promise<StoredRecord<T> | undefined>;
  /**
   * Writes the record only when none exists (`If-None-Match: *`).
   * Throws `RecordConflictError` when one already does.
   */
  create<T>(key: string, value: T): Promise<StoredRecord<T>>;
  /**
   * Replaces the record only when its ETag still matches (`If-Match`).
   * Throws `RecordConflictError` when someone else wrote it first.
   */
  replace<T>(key: string, value: T, etag: string): Promise<StoredRecord<T>>;
  /** Writes the record unconditionally. */
  put<T>(key: string, value: T): Promise<StoredRecord<T>>;
  /** Writes a text document (for example a Markdown report) unconditionally. */
  putText(key: string, text: string, contentType: string): Promise<void>;
  /** The text document under `key`, or `undefined`. */
  getText(key: string): Promise<string | undefined>;
  /**
   * Adds `text` at the end of the log under `key` (an append blob), creating the log on first
   * use. Each call's text lands whole, never interleaved with another writer's; a retried call
   * may land twice, so what is appended must carry its own identity for readers to drop repeats.
   * `getText` reads the log back. `likelyNew` says the log most likely does not exist yet: it is
   * created first (two requests rather than three), and an existing log is kept as it is.
   */
  append(key: string, text: string, options?: AppendOptions): Promise<void>;
  /** The keys that start with `prefix`, in lexical order. */
  list(prefix: string): AsyncIterable<string>;
  /**
   * The folders directly under `prefix` (which ends in `/`), each ending in `/`, in lexical
   * order: `cleanup/runs/` lists `cleanup/runs/{runId}/` once per run, not every record inside.
   */
  listFolders(prefix: string): AsyncIterable<string>;
}

/** How `RecordStore.append` goes about it. */
export interface AppendOptions {
  /** The log most likely does not exist yet (a new sandbox's history, say). */
  likelyNew?: boolean;
}
