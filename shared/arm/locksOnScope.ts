import type { LockInfo } from './ResourceGroups.js';

/**
 * The locks, out of those listed for a group (its own and its resources'), that apply to the
 * resource `resourceId`: the group's own locks and the resource's, not its neighbours'. A lock's
 * scope is its id up to `/providers/Microsoft.Authorization/locks/`.
 *
 * @example
 * locksOnScope(locks, '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1');
 */
export function locksOnScope(locks: readonly LockInfo[], resourceId: string): LockInfo[] {
  const target = resourceId.toLowerCase();
  const group = /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+)/.exec(target)?.[1];
  return locks.filter((lock) => {
    const at = lock.id.toLowerCase().indexOf('/providers/microsoft.authorization/locks/');
    const scope = at < 0 ? '' : lock.id.slice(0, at).toLowerCase();
    return scope === group || target === scope || target.startsWith(`${scope}/`);
  });
}
