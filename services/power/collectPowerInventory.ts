import { retryPolicies, withRetry } from '../../shared/retry.js';
import { isManagedBy } from '../sandbox/sandboxTags.js';
import type { PowerPorts } from './PowerPorts.js';
import type { PowerInventoryVm } from './planPower.js';

/**
 * Every VM of every sandbox (a group `managed-by` the app) in the subscriptions: two listings per
 * subscription, whatever the number of sandboxes. Each listing is retried as a whole on
 * throttling and transient failures.
 *
 * @example
 * const vms = await collectPowerInventory(ports);
 */
export async function collectPowerInventory(
  ports: Pick<PowerPorts, 'groups' | 'vms' | 'clock' | 'appName' | 'subscriptions'>,
  subscriptions: readonly string[] = ports.subscriptions,
): Promise<PowerInventoryVm[]> {
  const retry = { ...retryPolicies.armRead, clock: ports.clock };
  const found: PowerInventoryVm[] = [];
  for (const subscriptionId of subscriptions) {
    const groups = await withRetry(async () => {
      const byName = new Map<string, PowerInventoryVm['group']>();
      for await (const g of ports.groups.list(subscriptionId)) {
        if (isManagedBy(g.tags, ports.appName)) {
          byName.set(g.name.toLowerCase(), {
            name: g.name,
            tags: g.tags,
            provisioningState: g.provisioningState,
          });
        }
      }
      return byName;
    }, retry);
    if (groups.size === 0) continue;
    const vms = await withRetry(async () => {
      const listed = [];
      for await (const vm of ports.vms.list(subscriptionId)) listed.push(vm);
      return listed;
    }, retry);
    for (const vm of vms) {
      const group = groups.get(vm.resourceGroup.toLowerCase());
      if (group) found.push({ vm, group });
    }
  }
  return found;
}
