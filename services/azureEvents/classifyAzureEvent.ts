import { type AzureResourceEvent, RESOURCE_EVENT_TYPES } from './AzureResourceEvent.js';
import {
  type EventPrincipal,
  isOwnPrincipal,
  type OwnIdentity,
  principalOfClaims,
} from './principalOfClaims.js';
import { type ResourceGroupTarget, resourceGroupTargetOf } from './resourceGroupTargetOf.js';

/** Why an event needs nothing of the app. */
export type IgnoredEventReason =
  /** Not an event about an ARM write or delete that succeeded (an action, a failure, another topic's). */
  | 'not-a-write-or-delete'
  /** About something other than a resource group or a group's tags. */
  | 'not-a-resource-group'
  /** A write by the app's own identity: acting on it could only loop. */
  | 'own-write';

/** What an event is about, as far as the app cares. */
export type AzureEventSubject =
  | { kind: 'ignored'; reason: IgnoredEventReason }
  | {
      kind: 'group-written' | 'group-tags-written' | 'group-deleted';
      target: ResourceGroupTarget;
      principal: EventPrincipal;
      /** The app's own identity did it (only deletes by the app get this far). */
      own: boolean;
    };

/**
 * Sorts an event: a write to a resource group or to its tags, a group's delete, or nothing for the
 * app. Writes by the app's own identity are ignored, so its own tag writes, which raise events too,
 * never loop; its own deletes still say a group is gone. Pure.
 *
 * @example
 * classifyAzureEvent(event, { clientId: config.clientId });
 * // { kind: 'group-written', target: { subscriptionId, resourceGroup: 'rg-ana', scope: 'group' }, principal, own: false }
 */
export function classifyAzureEvent(
  event: AzureResourceEvent,
  self: OwnIdentity,
): AzureEventSubject {
  const type = event.eventType.toLowerCase();
  const write = type === RESOURCE_EVENT_TYPES.writeSuccess.toLowerCase();
  const remove = type === RESOURCE_EVENT_TYPES.deleteSuccess.toLowerCase();
  const status = event.data.status?.toLowerCase();
  if ((!write && !remove) || (status !== undefined && status !== 'succeeded')) {
    return { kind: 'ignored', reason: 'not-a-write-or-delete' };
  }
  const target = resourceGroupTargetOf(event.data.resourceUri);
  if (!target || (remove && target.scope !== 'group')) {
    return { kind: 'ignored', reason: 'not-a-resource-group' };
  }
  const principal = principalOfClaims(event.data.claims);
  const own = isOwnPrincipal(principal, self);
  if (write && own) return { kind: 'ignored', reason: 'own-write' };
  return {
    kind: remove
      ? 'group-deleted'
      : target.scope === 'group'
        ? 'group-written'
        : 'group-tags-written',
    target,
    principal,
    own,
  };
}
