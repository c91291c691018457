import { type SandboxView, toSandboxView } from '../sandbox/SandboxView.js';
import { SandboxNotFoundError } from './errors.js';
import { checkResourceGroupName } from './evaluateSandboxPolicy.js';
import type { ProvisioningDeps } from './ProvisioningDeps.js';

/**
 * One sandbox, read from its group's tags in ARM. A group this app does not manage is reported
 * as not found, so the API never reveals other groups.
 *
 * @example
 * (await getSandbox(deps, 'ana-1')).owner; // 'ana@contoso.com'
 */
export async function getSandbox(
  deps: Pick<ProvisioningDeps, 'groups' | 'settings'>,
  name: string,
): Promise<SandboxView> {
  if (checkResourceGroupName(name).length > 0) throw new SandboxNotFoundError(name);
  const group = await deps.groups.get(deps.settings.subscriptionId, name);
  const view = group && toSandboxView(group, deps.settings.appName);
  if (!view) throw new SandboxNotFoundError(name);
  return view;
}
