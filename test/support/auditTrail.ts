/**
 * The audit trail as tests read it: every entry under a prefix of the records container, in both
 * of its forms (logs, and entries kept one per blob before them), oldest first.
 */
import { readAuditKeys } from '../../shared/audit/readAuditDay.js';
import type { AuditEntry } from '../../shared/audit/recordAudit.js';
import type { RecordStore } from '../../shared/records/RecordStore.js';

/**
 * @example
 * (await auditEntriesUnder(records, 'audit/')).map((e) => e.action);
 */
export async function auditEntriesUnder(
  records: RecordStore,
  prefix: string,
): Promise<AuditEntry[]> {
  const keys: string[] = [];
  for await (const key of records.list(prefix)) keys.push(key);
  return readAuditKeys(records, keys);
}
