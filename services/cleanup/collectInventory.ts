import pLimit from 'p-limit';
import { classifyError } from '../../shared/errors.js';
import { retryPolicies, withRetry } from '../../shared/retry.js';
import type { CleanupPolicy } from './CleanupPolicy.js';
import type { CleanupPorts } from './CleanupPorts.js';
import { classifyResourceGroup } from './classifyResourceGroup.js';
import type { InventoryEntry } from './planCleanup.js';

/** Lock reads in flight at once: enough to be quick, few enough to stay inside ARM's read budget. */
const LOCK_READ_CONCURRENCY = 8;

/**
 * Lists every group in the subscriptions (paging through ARM) and reads the locks of each group
 * cleanup might act on. A group that would be skipped without its locks is skipped with them too,
 * so its locks are not read: that keeps a run over thousands of groups inside ARM's read budget
 * without changing any decision.
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
  const limit = pLimit(LOCK_READ_CONCURRENCY);
  const inventory: InventoryEntry[] = [];
  for (const subscriptionId of subscriptions) {
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
    await Promise.all(
      needLocks.map((entry) =>
        limit(async () => {
          entry.locks = await withRetry(
            () => groups.listLocks(entry.group.subscriptionId, entry.group.name),
            retry,
          ).catch((error: unknown) => {
            // Gone since it was listed: the worker will find it gone and count it done.
            if (classifyError(error).status === 404) return [];
            throw error;
          });
        }),
      ),
    );
    inventory.push(...entries);
  }
  return inventory;
}
