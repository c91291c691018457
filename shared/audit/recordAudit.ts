/**
 * The audit trail: one entry per action that changes a sandbox or a resource group, in one
 * schema whichever feature acts. Entries are JSON lines appended to logs (append blobs): one log
 * per ten minutes of a UTC day (`audit/{day}/{HHm0}.jsonl`), and a copy in the log of the
 * entry's resource group (`history/{subscriptionId}/{group}.jsonl`), where a sandbox's history
 * is read from. Concurrent writers never contend (each entry is one Append Block), and the
 * number of blobs grows with time and groups, not with entries: a cleanup of thousands of groups
 * adds one history log per group and no blob per entry.
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

/** An entry as a line of a log: with its identity, `{at}-{action}-{id}`, which orders it in time. */
export interface AuditLine {
  id: string;
  entry: AuditEntry;
}

/**
 * Appends an entry to the day's log and to its resource group's history; `id` makes the entry's
 * identity unique (an operation id, or a run id and group). A retried write may append the same
 * line again; readers keep one line per identity (`readAuditKeys`). `newGroup` says the group
 * most likely has no history yet (a sandbox just requested), which spares its first append a
 * round trip.
 *
 * @example
 * await recordAudit(records, { at, actor: 'ana@contoso.com', action: 'sandbox.extended',
 *   subscriptionId, resourceGroup: 'ana-1', details: { from, to } }, id);
 */
export async function recordAudit(
  records: RecordStore,
  entry: AuditEntry,
  id: string,
  options: { newGroup?: boolean } = {},
): Promise<string> {
  const line: AuditLine = { id: `${entry.at}-${entry.action}-${id}`, entry };
  const text = `${JSON.stringify(line)}\n`;
  await Promise.all([
    records.append(recordKeys.auditLog(entry.at), text),
    records.append(recordKeys.groupHistoryLog(entry.subscriptionId, entry.resourceGroup), text, {
      likelyNew: options.newGroup === true,
    }),
  ]);
  return line.id;
}
