/**
 * Finding a sandbox's record (see `SandboxRecord`). A name may have had several groups, one after
 * another; each has its own record, keyed by when it was created, so the keys of one name list
 * oldest first.
 */
import { RecordNotFoundError } from '../../shared/errors.js';
import type { RecordStore, StoredRecord } from '../../shared/records/RecordStore.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import { updateRecord } from '../../shared/records/updateRecord.js';
import { parseInstant } from './parseInstant.js';
import type { SandboxRecord } from './SandboxRecord.js';

/**
 * The record of the latest group called `name` that was created at or before `at` (the latest of
 * all without `at`), with its key.
 *
 * @example
 * const found = await findSandboxRecord(records, subscriptionId, 'ana-1', event.eventTime);
 * found?.value.status; // 'active'
 */
export async function findSandboxRecord(
  records: RecordStore,
  subscriptionId: string,
  name: string,
  at?: string,
): Promise<(StoredRecord<SandboxRecord> & { key: string }) | undefined> {
  const limit = at === undefined ? undefined : parseInstant(at);
  const keys: string[] = [];
  for await (const key of records.list(recordKeys.sandboxes(subscriptionId, name))) keys.push(key);
  for (const key of keys.reverse()) {
    const stored = await records.get<SandboxRecord>(key);
    if (!stored) continue;
    const created = parseInstant(stored.value.createdAt);
    if (limit !== undefined && created !== undefined && created > limit) continue;
    return { ...stored, key };
  }
  return undefined;
}

/**
 * Applies `change` to the latest record of `name` (see `updateRecord`); nothing when there is
 * none, or when `change` returns `undefined`.
 *
 * @example
 * await updateLatestSandboxRecord(records, sub, 'ana-1', (r) => ({ ...r, expiresAt }));
 */
export async function updateLatestSandboxRecord(
  records: RecordStore,
  subscriptionId: string,
  name: string,
  change: (record: SandboxRecord) => SandboxRecord | undefined,
): Promise<void> {
  const found = await findSandboxRecord(records, subscriptionId, name);
  if (!found) return;
  try {
    await updateRecord<SandboxRecord>(records, found.key, change);
  } catch (error) {
    if (!(error instanceof RecordNotFoundError)) throw error;
  }
}
