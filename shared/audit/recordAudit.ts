/**
 * The audit trail: one entry per action that changes a sandbox or a resource group, in one
 * schema whichever feature acts. Entries are records of their own, under `audit/{day}/`, so
 * concurrent writers never contend and a day's trail lists in time order.
 */

import type { RecordStore } from '../records/RecordStore.js';
import { recordKeys } from '../records/recordKeys.js';

/**
 * What was done. Provisioning acts on sandboxes; cleanup on the groups of a run; Azure's events
 * tell of groups created, sandboxes adopted, and changes made outside the app.
 */
export type AuditAction =
  | 'sandbox.requested'
  | 'sandbox.extended'
  | 'sandbox.teardown-requested'
  | 'sandbox.updated'
  | 'operation.succeeded'
  | 'operation.failed'
  | 'cleanup.delete-started'
  | 'cleanup.deleted'
  | 'cleanup.already-gone'
  | 'cleanup.delete-failed'
  | 'cleanup.marked'
  | 'group.creator-tagged'
  | 'sandbox.adopted'
  | 'sandbox.lease-changed-out-of-band'
  | 'sandbox.deleted-out-of-band';

/** One entry of the audit trail. */
export interface AuditEntry {
  /** ISO 8601, UTC. */
  at: string;
  /** Who: a principal's name, `admin-key`, `schedule`, or `worker` for the app's own steps. */
  actor: string;
  action: AuditAction;
  subscriptionId: string;
  /** The resource group acted on; a sandbox's name is its group's. */
  resourceGroup: string;
  /** The sandbox operation, for provisioning's entries. */
  operationId?: string;
  /** The cleanup run, for cleanup's entries. */
  runId?: string;
  /** Why, for people. */
  reason?: string;
  details?: Record<string, unknown>;
}

/**
 * Writes an entry, and files a copy under its resource group, where a sandbox's history is read
 * from; `id` makes both keys unique (an operation id, or a run id and group).
 *
 * @example
 * await recordAudit(records, { at, actor: 'ana@contoso.com', action: 'sandbox.extended',
 *   subscriptionId, resourceGroup: 'ana-1', details: { from, to } }, id);
 */
export async function recordAudit(
  records: RecordStore,
  entry: AuditEntry,
  id: string,
): Promise<string> {
  const key = recordKeys.audit(entry.at, entry.action, id);
  // Both at once: the keys are the entry's own, so a retried write puts the same two records.
  await Promise.all([
    records.put(key, entry),
    records.put(
      recordKeys.groupHistory(
        entry.subscriptionId,
        entry.resourceGroup,
        entry.at,
        entry.action,
        id,
      ),
      entry,
    ),
  ]);
  return key;
}
