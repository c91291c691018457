import type { ProvisioningDeps } from './ProvisioningDeps.js';
import { TAG_MANAGED_BY, TAG_OWNER } from './sandboxTags.js';

/**
 * How many sandboxes the owner holds in ARM (groups this app manages, tagged with the owner),
 * leaving out the one named `except`: the request being judged.
 *
 * @example
 * checkOwnerQuota(await countOwnerSandboxes(deps, 'ana@contoso.com', 'ana-3'), policy);
 */
export async function countOwnerSandboxes(
  deps: Pick<ProvisioningDeps, 'groups' | 'settings'>,
  owner: string,
  except: string,
): Promise<number> {
  const { settings } = deps;
  let held = 0;
  for await (const group of deps.groups.list(settings.subscriptionId)) {
    if (
      group.tags[TAG_MANAGED_BY] === settings.appName &&
      group.tags[TAG_OWNER]?.toLowerCase() === owner.toLowerCase() &&
      group.name.toLowerCase() !== except.toLowerCase()
    ) {
      held++;
    }
  }
  return held;
}
