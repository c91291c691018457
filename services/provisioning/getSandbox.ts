import { type Caller, mayActFor } from '../../shared/auth/Caller.js';
import { type SandboxView, toSandboxView } from '../sandbox/SandboxView.js';
import { NotSandboxOwnerError, SandboxNotFoundError } from './errors.js';
import { checkResourceGroupName } from './evaluateSandboxPolicy.js';
import type { ProvisioningDeps } from './ProvisioningDeps.js';

/**
 * One sandbox, read from its group's tags in ARM. A group this app does not manage is reported
 * as not found, so the API never reveals other groups.
 *
 * @example
 * (await findSandbox(deps, 'ana-1')).owner; // ana's object id
 */
export async function findSandbox(
  deps: Pick<ProvisioningDeps, 'groups' | 'settings'>,
  name: string,
): Promise<SandboxView> {
  if (checkResourceGroupName(name).length > 0) throw new SandboxNotFoundError(name);
  const group = await deps.groups.get(deps.settings.subscriptionId, name);
  const view = group && toSandboxView(group, deps.settings.appName);
  if (!view) throw new SandboxNotFoundError(name);
  return view;
}

/**
 * One sandbox, for `GET /api/sandboxes/{name}`: only its owner or an admin may read it (403).
 *
 * @example
 * (await getSandbox(deps, ana, 'ana-1')).expiresAt;
 */
export async function getSandbox(
  deps: Pick<ProvisioningDeps, 'groups' | 'settings'>,
  caller: Caller,
  name: string,
): Promise<SandboxView> {
  const sandbox = await findSandbox(deps, name);
  if (!mayActFor(caller, sandbox.owner)) throw new NotSandboxOwnerError(sandbox.name, caller.name);
  return sandbox;
}
