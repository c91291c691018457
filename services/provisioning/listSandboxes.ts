import { type Caller, isAdmin, isCaller, ownerFor } from '../../shared/auth/Caller.js';
import { type SandboxView, toSandboxView } from '../sandbox/SandboxView.js';
import type { ProvisioningDeps } from './ProvisioningDeps.js';

/**
 * The sandboxes the caller may see, read from ARM's tags (the source of truth), sorted by name:
 * its own; an admin sees every one, or `owner`'s when it names one (a non-admin naming another
 * owner gets 403).
 *
 * @example
 * await listSandboxes(deps, ana); // [{ name: 'ana-1', … }]
 * await listSandboxes(deps, ops, { owner: anaObjectId });
 */
export async function listSandboxes(
  deps: Pick<ProvisioningDeps, 'groups' | 'settings'>,
  caller: Caller,
  filter: { owner?: string } = {},
): Promise<SandboxView[]> {
  const named = ownerFor(caller, filter.owner);
  const mine = (view: SandboxView) =>
    filter.owner !== undefined && isAdmin(caller)
      ? view.owner.toLowerCase() === named.id.toLowerCase()
      : filter.owner === undefined && isAdmin(caller)
        ? true
        : isCaller(caller, view.owner);
  const sandboxes: SandboxView[] = [];
  for await (const group of deps.groups.list(deps.settings.subscriptionId)) {
    const view = toSandboxView(group, deps.settings.appName);
    if (view && mine(view)) sandboxes.push(view);
  }
  return sandboxes.sort((a, b) => a.name.localeCompare(b.name));
}
