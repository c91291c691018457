import type { ResourceGroupInfo } from '../../shared/arm/ResourceGroups.js';
import { classifyError } from '../../shared/errors.js';
import type { SandboxView } from '../sandbox/SandboxView.js';
import { SandboxBeingDeletedError } from './errors.js';
import type { ProvisioningDeps } from './ProvisioningDeps.js';
import { activeTeardown } from './teardownClaim.js';

/**
 * Changes a sandbox's tags by a merge (a tag someone writes meanwhile is kept), unless the sandbox
 * is being deleted: 409 `SandboxBeingDeleted` when its teardown is queued or under way, its group
 * reads `Deleting`, or ARM says the delete began between the read and the write. A change to a
 * sandbox about to go would be a promise the app cannot keep.
 *
 * @example
 * const group = await mergeSandboxTags(deps, sandbox, { 'sandbox-expires-at': '2026-07-01T00:00:00.000Z' });
 */
export async function mergeSandboxTags(
  deps: ProvisioningDeps,
  sandbox: SandboxView,
  tags: Record<string, string>,
): Promise<ResourceGroupInfo> {
  const teardown = await activeTeardown(deps, sandbox.name);
  if (teardown) throw new SandboxBeingDeletedError(sandbox.name, teardown.id);
  if (sandbox.state === 'Deleting') throw new SandboxBeingDeletedError(sandbox.name);
  return deps.groups
    .mergeTags(deps.settings.subscriptionId, sandbox.name, tags)
    .catch((error: unknown) => {
      if (classifyError(error).code === 'ResourceGroupBeingDeleted') {
        throw new SandboxBeingDeletedError(sandbox.name);
      }
      throw error;
    });
}
