import { PolicyViolationError, ValidationError } from '../../shared/apiErrors.js';
import { recordAudit } from '../../shared/audit/recordAudit.js';
import { type Caller, ownerFor } from '../../shared/auth/Caller.js';
import { validate } from '../../shared/validate.js';
import { sandboxExtended } from '../notifications/events.js';
import { type SandboxView, toSandboxView } from '../sandbox/SandboxView.js';
import { updateLatestSandboxRecord } from '../sandbox/sandboxRecords.js';
import { FAILED_SANDBOX_STATE, TAG_EXPIRES_AT, tagKey } from '../sandbox/sandboxTags.js';
import { SandboxFailedError } from './errors.js';
import { checkTtl } from './evaluateSandboxPolicy.js';
import { getSandbox } from './getSandbox.js';
import { mergeSandboxTags } from './mergeSandboxTags.js';
import type { ProvisioningDeps } from './ProvisioningDeps.js';
import { extendRequestSchema } from './sandboxRequestSchema.js';

/**
 * Sets a sandbox's lease to end `ttlHours` from now (at most the policy's maximum), by rewriting
 * its `sandbox-expires-at` tag. Only the owner or an admin may, and never for what a failed
 * provisioning left (`SandboxFailedError`).
 *
 * @example
 * await extendSandbox(deps, { name: 'ana-1', caller, body: { ttlHours: 48 } });
 */
export async function extendSandbox(
  deps: ProvisioningDeps,
  input: { name: string; caller: Caller; body: unknown },
): Promise<SandboxView> {
  const request = validate(extendRequestSchema, input.body, {
    invalid: (violations) => new ValidationError(violations),
  });
  const { caller } = input;
  ownerFor(caller, request.owner);
  const violations = checkTtl(request.ttlHours, deps.settings.policy);
  if (violations.length > 0) throw new PolicyViolationError(violations);
  const sandbox = await getSandbox(deps, caller, input.name);
  if (sandbox.sandboxState === FAILED_SANDBOX_STATE) {
    throw new SandboxFailedError(sandbox.name, sandbox.expiresAt);
  }
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + request.ttlHours * 3_600_000).toISOString();
  // Only the lease changes, under the name as the group spells it.
  const updated = await mergeSandboxTags(deps, sandbox, {
    [tagKey(sandbox.tags, TAG_EXPIRES_AT) ?? TAG_EXPIRES_AT]: expiresAt,
  });
  await rememberLease(deps, sandbox.name, expiresAt);
  await recordAudit(
    deps.records,
    {
      at: now.toISOString(),
      actor: caller.name,
      action: 'sandbox.extended',
      subscriptionId: deps.settings.subscriptionId,
      resourceGroup: sandbox.name,
      details: { from: sandbox.expiresAt, to: expiresAt },
    },
    deps.newId(),
  );
  await deps.events.publish(
    sandboxExtended({
      sandbox: sandbox.name,
      subscriptionId: deps.settings.subscriptionId,
      owner: sandbox.owner,
      from: sandbox.expiresAt,
      to: expiresAt,
      by: caller.name,
      time: now.toISOString(),
    }),
  );
  // The view of the group ARM answered with, so every field (tags included) shows the new lease.
  return toSandboxView(updated, deps.settings.appName) ?? { ...sandbox, expiresAt };
}

/**
 * The sandbox's record learns the new lease, so that Azure's event about this very write is not
 * taken for a change made outside the app. A sandbox without a record (made by hand) has none to
 * update.
 */
async function rememberLease(deps: ProvisioningDeps, name: string, expiresAt: string) {
  await updateLatestSandboxRecord(deps.records, deps.settings.subscriptionId, name, (record) =>
    record.status === 'active'
      ? { ...record, expiresAt, updatedAt: deps.clock.now().toISOString() }
      : undefined,
  );
}
