import { PolicyViolationError, ValidationError } from '../../shared/apiErrors.js';
import { recordAudit } from '../../shared/audit/recordAudit.js';
import { type Caller, mayActFor, ownerFor } from '../../shared/auth/Caller.js';
import { classifyError } from '../../shared/errors.js';
import { validate } from '../../shared/validate.js';
import { type SandboxView, toSandboxView } from '../sandbox/SandboxView.js';
import { FAILED_SANDBOX_STATE, TAG_EXPIRES_AT, tagKey } from '../sandbox/sandboxTags.js';
import { NotSandboxOwnerError, SandboxBeingDeletedError, SandboxFailedError } from './errors.js';
import { checkTtl } from './evaluateSandboxPolicy.js';
import { findSandbox } from './getSandbox.js';
import type { ProvisioningDeps } from './ProvisioningDeps.js';
import { extendRequestSchema } from './sandboxRequestSchema.js';
import { activeTeardown } from './teardownClaim.js';

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
  const sandbox = await findSandbox(deps, input.name);
  if (!mayActFor(caller, sandbox.owner)) {
    throw new NotSandboxOwnerError(sandbox.name, caller.name);
  }
  await ensureNotBeingDeleted(deps, sandbox);
  if (sandbox.sandboxState === FAILED_SANDBOX_STATE) {
    throw new SandboxFailedError(sandbox.name, sandbox.expiresAt);
  }
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + request.ttlHours * 3_600_000).toISOString();
  // A merge changes only the lease (under the name as the group spells it): a tag someone
  // writes meanwhile is kept.
  const updated = await deps.groups
    .mergeTags(deps.settings.subscriptionId, sandbox.name, {
      [tagKey(sandbox.tags, TAG_EXPIRES_AT) ?? TAG_EXPIRES_AT]: expiresAt,
    })
    .catch((error: unknown) => {
      // The delete began between the read and the write.
      if (classifyError(error).code === 'ResourceGroupBeingDeleted') {
        throw new SandboxBeingDeletedError(sandbox.name);
      }
      throw error;
    });
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
  // The view of the group ARM answered with, so every field (tags included) shows the new lease.
  return toSandboxView(updated, deps.settings.appName) ?? { ...sandbox, expiresAt };
}

/**
 * 409 for a sandbox whose group is being deleted, or whose teardown is queued: a lease on a
 * sandbox about to go would be a promise the app cannot keep.
 */
async function ensureNotBeingDeleted(deps: ProvisioningDeps, sandbox: SandboxView): Promise<void> {
  const teardown = await activeTeardown(deps, sandbox.name);
  if (teardown) throw new SandboxBeingDeletedError(sandbox.name, teardown.id);
  if (sandbox.state === 'Deleting') throw new SandboxBeingDeletedError(sandbox.name);
}
