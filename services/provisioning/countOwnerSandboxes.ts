import { readSandboxTags } from '../sandbox/sandboxTags.js';
import type { ProvisioningDeps } from './ProvisioningDeps.js';

/**
 * How many sandboxes the owner holds in ARM (groups that are sandboxes of this app, owned by
 * `owner` case-insensitively), leaving out the one named `except`: the request being judged.
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
    const sandbox = readSandboxTags(group.tags, settings.appName);
    if (
      sandbox?.owner.toLowerCase() === owner.toLowerCase() &&
      group.name.toLowerCase() !== except.toLowerCase()
    ) {
      held++;
    }
  }
  return held;
}
