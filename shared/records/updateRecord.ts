/**
 * Read-modify-write of one record with optimistic concurrency, in one call (see `RecordJournal`).
 * Works on any `RecordStore` (the blob one or the in-memory fake).
 */
import { RecordJournal, type UpdateOptions } from './RecordJournal.js';
import type { RecordStore, StoredRecord } from './RecordStore.js';

/**
 * Applies `mutate` to the record under `key` and saves it, retrying on ETag conflicts. `mutate`
 * may run more than once, so it must be pure; returning `undefined` leaves the record unchanged.
 * After the last retry the `RecordConflictError` propagates.
 *
 * @example
 * await updateRecord<Operation>(records, recordKeys.operation(id), (op) => ({ ...op, status: 'running' }));
 */
export async function updateRecord<T>(
  store: RecordStore,
  key: string,
  mutate: (current: T) => T | undefined,
  options: UpdateOptions<T> = {},
): Promise<StoredRecord<T>> {
  const journal = await RecordJournal.open<T>(store, key);
  await journal.update(mutate, options);
  return journal.stored!;
}
