/** What an event is about, when it is about a resource group: the group itself, or its tags. */
export interface ResourceGroupTarget {
  subscriptionId: string;
  /** The group's name as the event spells it (ARM names compare without case). */
  resourceGroup: string;
  /** `group`: the group (`…/resourceGroups/{name}`); `tags`: its tags (`…/providers/Microsoft.Resources/tags/default`). */
  scope: 'group' | 'tags';
}

const GROUP = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/?$/i;
const GROUP_TAGS =
  /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/microsoft\.resources\/tags\/default\/?$/i;

/**
 * The resource group a resource id names, or whose tags it names; `undefined` for anything else
 * (a resource inside a group, a subscription). ARM writes ids in the caller's casing, so the
 * segments are matched without case.
 *
 * @example
 * resourceGroupTargetOf('/subscriptions/s1/resourcegroups/rg-ana');
 * // { subscriptionId: 's1', resourceGroup: 'rg-ana', scope: 'group' }
 */
export function resourceGroupTargetOf(resourceUri: string): ResourceGroupTarget | undefined {
  const group = GROUP.exec(resourceUri);
  if (group) return target(group, 'group');
  const tags = GROUP_TAGS.exec(resourceUri);
  return tags ? target(tags, 'tags') : undefined;
}

function target(match: RegExpExecArray, scope: ResourceGroupTarget['scope']): ResourceGroupTarget {
  return {
    subscriptionId: decodeURIComponent(match[1]!),
    resourceGroup: decodeURIComponent(match[2]!),
    scope,
  };
}
