import { locksOfGroup } from '../../shared/arm/ResourceGroups.js';
import { retryPolicies, withRetry } from '../../shared/retry.js';
import type { CleanupPolicy } from './CleanupPolicy.js';
import type { CleanupPorts } from './CleanupPorts.js';
import { classifyResourceGroup } from './classifyResourceGroup.js';
import type { InventoryEntry } from './planCleanup.js';

/**
 * Lists every group in the subscriptions (paging through ARM, the subscriptions side by side) and
 * the locks of each group cleanup
 * might act on, from one listing of each subscription's locks (on the subscription, its groups and
 * their resources): a page or two of reads per subscription, whatever the number of groups. A
 * group that would be skipped without its locks is skipped with them too, so a subscription with
 * nothing to act on lists no locks at all.
 *
 * @example
 * const inventory = await collectInventory(['sub-1'], policy, ports);
 */
export async function collectInventory(
  subscriptions: readonly string[],
  policy: CleanupPolicy,
  ports: Pick<CleanupPorts, 'groups' | 'clock'>,
): Promise<InventoryEntry[]> {
  const { groups, clock } = ports;
  const now = clock.now();
  const retry = { ...retryPolicies.armRead, clock };
  // Subscriptions are listed side by side: ARM throttles each one in buckets of its own.
  const bySubscription = await Promise.all(
    subscriptions.map(async (subscriptionId) => {
      // A failure mid-listing restarts the listing: a partial inventory would skew the breaker.
      const listed = await withRetry(async () => {
        const all = [];
        for await (const group of groups.list(subscriptionId)) all.push(group);
        return all;
      }, retry);
      const entries: InventoryEntry[] = listed.map((group) => ({ group, locks: [] }));
      const needLocks = entries.filter(
        ({ group }) => classifyResourceGroup(group, [], policy, now).action !== 'skip',
      );
      if (needLocks.length > 0) {
        const locks = await withRetry(() => groups.listLocksInSubscription(subscriptionId), retry);
        for (const entry of needLocks) entry.locks = locksOfGroup(locks, entry.group.name);
      }
      return entries;
    }),
  );
  return bySubscription.flat();
}
