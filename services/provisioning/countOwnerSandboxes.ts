import { FAILED_SANDBOX_STATE, readSandboxTags } from '../sandbox/sandboxTags.js';
import type { ProvisioningDeps } from './ProvisioningDeps.js';

/**
 * How many sandboxes the owner holds in ARM (groups that are sandboxes of this app, owned by any
 * of the owner's names, case-insensitively: its object id, and the name older sandboxes recorded),
 * leaving out the one named `except` (the request being judged) and what failed provisionings
 * left for inspection (`sandbox-state: failed`), which the owner did not get to use.
 *
 * @example
 * checkOwnerQuota(await countOwnerSandboxes(deps, [ana.id, ana.name], 'ana-3'), policy);
 */
export async function countOwnerSandboxes(
  deps: Pick<ProvisioningDeps, 'groups' | 'settings'>,
  owner: readonly string[],
  except: string,
): Promise<number> {
  const { settings } = deps;
  const names = new Set(owner.map((o) => o.toLowerCase()));
  let held = 0;
  for await (const group of deps.groups.list(settings.subscriptionId)) {
    const sandbox = readSandboxTags(group.tags, settings.appName);
    if (
      sandbox !== undefined &&
      sandbox.sandboxState !== FAILED_SANDBOX_STATE &&
      names.has(sandbox.owner.toLowerCase()) &&
      group.name.toLowerCase() !== except.toLowerCase()
    ) {
      held++;
    }
  }
  return held;
}
