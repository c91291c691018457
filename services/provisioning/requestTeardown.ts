import { type Caller, ownerFor } from '../../shared/auth/Caller.js';
import { SandboxBeingDeletedError } from './errors.js';
import { getSandbox } from './getSandbox.js';
import type { Operation } from './Operation.js';
import type { ProvisioningDeps } from './ProvisioningDeps.js';
import { queueTeardown } from './queueTeardown.js';
import { activeTeardown } from './teardownClaim.js';

/**
 * Queues the deletion of a sandbox's group and returns the teardown operation. Only its owner or
 * an admin may; naming another `owner` (`?owner=`) is an admin's alone. A sandbox has one
 * teardown at a time: asking again while it runs returns that same operation (and ARM sees one
 * delete). A group being deleted by something else (cleanup, the portal) is a 409.
 *
 * @example
 * const operation = await requestTeardown(deps, { name: 'ana-1', caller });
 * // 202, Location: /api/operations/${operation.id}
 */
export async function requestTeardown(
  deps: ProvisioningDeps,
  input: { name: string; caller: Caller; owner?: string },
): Promise<Operation> {
  const { caller } = input;
  ownerFor(caller, input.owner);
  const sandbox = await getSandbox(deps, caller, input.name);
  if (sandbox.state === 'Deleting') {
    const running = await activeTeardown(deps, sandbox.name);
    if (running) return running;
    throw new SandboxBeingDeletedError(sandbox.name);
  }
  return queueTeardown(deps, {
    sandbox,
    requestedBy: caller.name,
    requestedById: caller.id,
  });
}
