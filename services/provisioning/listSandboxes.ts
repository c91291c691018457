import { type SandboxView, toSandboxView } from '../sandbox/SandboxView.js';
import type { ProvisioningDeps } from './ProvisioningDeps.js';

/**
 * The managed sandboxes in the subscription, read from ARM's tags (the source of truth), sorted
 * by name; only `owner`'s (case-insensitively) when given.
 *
 * @example
 * await listSandboxes(deps, { owner: 'ana@contoso.com' }); // [{ name: 'ana-1', … }]
 */
export async function listSandboxes(
  deps: Pick<ProvisioningDeps, 'groups' | 'settings'>,
  filter: { owner?: string } = {},
): Promise<SandboxView[]> {
  const owner = filter.owner?.toLowerCase();
  const sandboxes: SandboxView[] = [];
  for await (const group of deps.groups.list(deps.settings.subscriptionId)) {
    const view = toSandboxView(group, deps.settings.appName);
    if (view && (owner === undefined || view.owner.toLowerCase() === owner)) sandboxes.push(view);
  }
  return sandboxes.sort((a, b) => a.name.localeCompare(b.name));
}
