/**
 * Read-modify-write of one record with optimistic concurrency: read it with its ETag, apply a
 * pure change, write it back `If-Match`, and on a conflict read again and re-apply. Works on any
 * `RecordStore` (the blob one or the in-memory fake).
 */
import { RecordConflictError, RecordNotFoundError } from '../errors.js';
import type { RecordStore, StoredRecord } from './RecordStore.js';

export interface UpdateRecordOptions<T> {
  /** How many times to re-read and re-apply after a conflict. Default 5. */
  retries?: number;
  /** The value to create when there is no record yet; without it a missing record is an error. */
  initial?: () => T;
}

/**
 * Applies `mutate` to the record under `key` and saves it, retrying on ETag conflicts. `mutate`
 * may run more than once, so it must be pure; returning `undefined` leaves the record unchanged.
 * After the last retry the `RecordConflictError` propagates.
 *
 * @example
 * await updateRecord<Operation>(records, `operations/${id}.json`, (op) => ({ ...op, status: 'running' }));
 */
export async function updateRecord<T>(
  store: RecordStore,
  key: string,
  mutate: (current: T) => T | undefined,
  options: UpdateRecordOptions<T> = {},
): Promise<StoredRecord<T>> {
  const retries = options.retries ?? 5;
  for (let attempt = 0; ; attempt++) {
    try {
      const current = await store.get<T>(key);
      if (!current) {
        if (!options.initial) throw new RecordNotFoundError(key);
        const created = mutate(options.initial()) ?? options.initial();
        return await store.create(key, created);
      }
      const next = mutate(current.value);
      if (next === undefined) return current;
      return await store.replace(key, next, current.etag);
    } catch (error) {
      if (!(error instanceof RecordConflictError) || attempt >= retries) throw error;
    }
  }
}
