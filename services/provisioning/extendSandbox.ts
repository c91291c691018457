import { actingCaller, type Caller, mayManageSandbox } from './Caller.js';
import { checkTtl } from './evaluateSandboxPolicy.js';
import { getSandbox } from './getSandbox.js';
import type { ProvisioningDeps } from './ProvisioningDeps.js';
import {
  InvalidRequestError,
  NotSandboxOwnerError,
  PolicyViolationError,
} from './ProvisioningError.js';
import { recordAudit } from './recordAudit.js';
import { type SandboxView, toSandboxView } from './SandboxView.js';
import { extendRequestSchema } from './sandboxRequestSchema.js';
import { TAG_EXPIRES_AT } from './sandboxTags.js';

/**
 * Sets a sandbox's lease to end `ttlHours` from now (at most the policy's maximum), by rewriting
 * its `sandbox-expires-at` tag. Only the owner or an admin may; an automation caller (no
 * principal) acts for the `owner` named in the body.
 *
 * @example
 * await extendSandbox(deps, { name: 'ana-1', caller, body: { ttlHours: 48 } });
 */
export async function extendSandbox(
  deps: ProvisioningDeps,
  input: { name: string; caller: Caller | undefined; body: unknown },
): Promise<SandboxView> {
  const parsed = extendRequestSchema.safeParse(input.body);
  if (!parsed.success) {
    throw new InvalidRequestError(
      parsed.error.issues.map((i) => ({
        rule: i.path.length > 0 ? i.path.map(String).join('.') : 'body',
        message: i.message,
      })),
    );
  }
  const caller = actingCaller(input.caller, parsed.data.owner);
  const violations = checkTtl(parsed.data.ttlHours, deps.settings.policy);
  if (violations.length > 0) throw new PolicyViolationError(violations);
  const sandbox = await getSandbox(deps, input.name);
  if (!mayManageSandbox(caller, sandbox.owner, deps.settings.adminPrincipals)) {
    throw new NotSandboxOwnerError(sandbox.name, caller.name);
  }
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + parsed.data.ttlHours * 3_600_000).toISOString();
  // A merge changes only the lease: a tag someone writes meanwhile is kept.
  const updated = await deps.groups.mergeTags(deps.settings.subscriptionId, sandbox.name, {
    [TAG_EXPIRES_AT]: expiresAt,
  });
  await recordAudit(
    deps.records,
    {
      at: now.toISOString(),
      actor: caller.name,
      action: 'sandbox.extended',
      sandbox: sandbox.name,
      details: { from: sandbox.expiresAt, to: expiresAt },
    },
    deps.newId(),
  );
  // The view of the group ARM answered with, so every field (tags included) shows the new lease.
  return toSandboxView(updated, deps.settings.appName) ?? { ...sandbox, expiresAt };
}
