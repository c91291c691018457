import type { ResourceSummary } from '../../shared/arm/Resources.js';
import type { Caller } from '../../shared/auth/Caller.js';
import { getSandbox } from './getSandbox.js';
import type { ProvisioningDeps } from './ProvisioningDeps.js';

/**
 * What is in a sandbox now, as ARM lists its group (the blueprint's resources and anything added
 * since), for `GET /api/sandboxes/{name}/resources`. Only its owner or an admin may look.
 *
 * @example
 * (await listSandboxResources(deps, ana, 'ana-1')).map((r) => r.type);
 * // ['Microsoft.Storage/storageAccounts']
 */
export async function listSandboxResources(
  deps: Pick<ProvisioningDeps, 'groups' | 'settings' | 'resources'>,
  caller: Caller,
  name: string,
): Promise<ResourceSummary[]> {
  const sandbox = await getSandbox(deps, caller, name);
  return deps.resources.listInGroup(sandbox.resourceGroupId);
}
