/**
 * Conditional updates of one record, the only way the app changes a record that others may
 * write too. A journal holds the record as it last read or wrote it, with its ETag:
 *
 * - `create` writes only if no record exists (`If-None-Match: *`);
 * - `replace` writes only over the version the journal holds (`If-Match`), so a conflict means
 *   someone else changed it since: the caller decides what that means (for a claim: back off);
 * - `update` applies a pure change and, on a conflict, reads again and re-applies it.
 */
import { RecordConflictError, RecordNotFoundError } from '../errors.js';
import type { RecordStore, StoredRecord } from './RecordStore.js';

export interface UpdateOptions<T> {
  /** How many times to re-read and re-apply after a conflict. Default: the journal's (5). */
  retries?: number;
  /** The value to create when there is no record yet; without it a missing record is an error. */
  initial?: () => T;
}

export class RecordJournal<T> {
  private constructor(
    private readonly records: RecordStore,
    readonly key: string,
    private current: StoredRecord<T> | undefined,
    private readonly retries: number,
  ) {}

  /**
   * Reads the record (if any) into a new journal.
   *
   * @example
   * const journal = await RecordJournal.open<Operation>(records, recordKeys.operation(id));
   * journal.value?.status; // 'queued'
   */
  static async open<T>(
    records: RecordStore,
    key: string,
    options: { retries?: number } = {},
  ): Promise<RecordJournal<T>> {
    return new RecordJournal<T>(records, key, await records.get<T>(key), options.retries ?? 5);
  }

  /** The record as this journal last read or wrote it. */
  get value(): T | undefined {
    return this.current?.value;
  }

  /** The record with the ETag this journal holds. */
  get stored(): StoredRecord<T> | undefined {
    return this.current;
  }

  /** Creates the record; `RecordConflictError` when one exists already. */
  async create(value: T): Promise<T> {
    this.current = await this.records.create(this.key, value);
    return value;
  }

  /**
   * Writes `next` over the version this journal holds, or creates it when the journal read none.
   * `RecordConflictError` when the record changed (or appeared) since.
   */
  async replace(next: T): Promise<T> {
    this.current = this.current
      ? await this.records.replace(this.key, next, this.current.etag)
      : await this.records.create(this.key, next);
    return next;
  }

  /**
   * Applies `mutate` and saves, re-reading and re-applying on a conflict. `mutate` may run more
   * than once, so it must be pure; returning `undefined` leaves the record as it is.
   */
  async update(mutate: (current: T) => T | undefined, options: UpdateOptions<T> = {}): Promise<T> {
    const retries = options.retries ?? this.retries;
    for (let attempt = 0; ; attempt++) {
      try {
        if (!this.current) {
          if (!options.initial) throw new RecordNotFoundError(this.key);
          return await this.create(mutate(options.initial()) ?? options.initial());
        }
        const next = mutate(this.current.value);
        if (next === undefined) return this.current.value;
        return await this.replace(next);
      } catch (error) {
        if (!(error instanceof RecordConflictError) || attempt >= retries) throw error;
        this.current = await this.records.get<T>(this.key);
      }
    }
  }
}
