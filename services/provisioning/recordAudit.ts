import type { RecordStore } from '../../shared/records/RecordStore.js';

/** One entry of the audit trail: who did what to which sandbox, and when. */
export interface AuditEntry {
  at: string;
  actor: string;
  action:
    | 'sandbox.requested'
    | 'sandbox.extended'
    | 'sandbox.teardown-requested'
    | 'operation.succeeded'
    | 'operation.failed';
  sandbox: string;
  operationId?: string;
  details?: Record<string, unknown>;
}

/**
 * Writes an audit entry under `audit/{yyyy-mm-dd}/{time}-{action}-{id}.json`: one blob per entry,
 * so concurrent writers never contend, and a day's trail lists in time order.
 *
 * @example
 * await recordAudit(records, { at: now.toISOString(), actor: 'ana', action: 'sandbox.extended', sandbox: 'ana-1' }, id);
 */
export async function recordAudit(
  records: RecordStore,
  entry: AuditEntry,
  id: string,
): Promise<string> {
  const key = `audit/${entry.at.slice(0, 10)}/${entry.at}-${entry.action}-${id}.json`;
  await records.put(key, entry);
  return key;
}
