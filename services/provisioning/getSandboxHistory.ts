import { readAuditKeys } from '../../shared/audit/readAuditDay.js';
import type { AuditEntry } from '../../shared/audit/recordAudit.js';
import type { Caller } from '../../shared/auth/Caller.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import { getSandbox } from './getSandbox.js';
import type { ProvisioningDeps } from './ProvisioningDeps.js';

/**
 * A sandbox's history, newest first, for `GET /api/sandboxes/{name}/history`: every audit entry
 * filed under its group (requested, built or failed, extended, cleanup's actions, teardown).
 * A name can be used again once a sandbox is gone, so entries from before this sandbox's own
 * request (the `sandbox.requested` of the operation its tags name) belong to an older one and are
 * left out. Only its owner or an admin may read it.
 *
 * @example
 * (await getSandboxHistory(deps, ana, 'ana-1')).map((e) => e.action);
 * // ['sandbox.extended', 'operation.succeeded', 'sandbox.requested']
 */
export async function getSandboxHistory(
  deps: Pick<ProvisioningDeps, 'groups' | 'settings' | 'records'>,
  caller: Caller,
  name: string,
): Promise<AuditEntry[]> {
  const sandbox = await getSandbox(deps, caller, name);
  const { subscriptionId } = deps.settings;
  // The group's log, and the entries kept one per blob before the logs.
  const keys = [recordKeys.groupHistoryLog(subscriptionId, sandbox.name)];
  for await (const key of deps.records.list(
    recordKeys.groupHistoryOf(subscriptionId, sandbox.name),
  )) {
    keys.push(key);
  }
  const entries = await readAuditKeys(deps.records, keys);
  const start = entries.findLastIndex(
    (entry) =>
      entry.action === 'sandbox.requested' &&
      sandbox.operationId !== undefined &&
      entry.operationId === sandbox.operationId,
  );
  return entries.slice(Math.max(start, 0)).reverse();
}
