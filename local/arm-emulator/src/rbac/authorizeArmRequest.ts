import { groupKeyOf, isTopLevel } from '../ArmState.js';
import type { TokenClaims } from '../accessTokens.js';
import { type ArmRequest, type ArmResponse, splitPath } from '../armRequest.js';
import { GUID_PATTERN } from '../deterministicGuid.js';
import type { EmulatorCore } from '../EmulatorCore.js';
import { armOperationOf } from './armOperationOf.js';
import { linkedAccessOf } from './linkedAccessChecks.js';
import { rbacErrors } from './rbacErrors.js';

/** How ARM names the caller in its messages: a user by sign-in name, an app by object id. */
export function callerName(claims: TokenClaims): string {
  return claims.upn ?? claims.unique_name ?? claims.oid;
}

/**
 * Authorizes an authenticated ARM request the way ARM does before any provider sees it, then runs
 * the route: 403 `AuthorizationFailed` when no role the caller holds at or above the scope allows
 * the operation, 403 `LinkedAuthorizationFailed` when a write references resources the caller may
 * not join or assign, and lists narrowed to what the caller may read when it holds roles only
 * below the listed scope.
 *
 * @example
 * response = authorizeArmRequest(core, request, () => routeArmRequest(core, request));
 */
export function authorizeArmRequest(
  core: EmulatorCore,
  req: ArmRequest,
  route: () => ArmResponse,
): ArmResponse {
  core.rbac.purge((scope) => scopeExists(core, scope));
  const principal = req.claims.oid;
  const refuse = (action: string, scope: string) =>
    rbacErrors.authorizationFailed(callerName(req.claims), principal, action, scope);
  const operation = armOperationOf(req.method, req.segments);
  switch (operation.kind) {
    case 'open':
      return route();
    case 'subscriptions':
      return narrowList(route(), (item) =>
        core.rbac.hasAccessWithin(principal, `/subscriptions/${String(item.subscriptionId)}`),
      );
    case 'subscription':
      if (isKnownSubscription(core, operation.scope.split('/')[2] ?? '')) {
        if (!core.rbac.hasAccessWithin(principal, operation.scope)) {
          throw refuse(operation.action, operation.scope);
        }
      }
      return route();
    case 'check': {
      // An unknown subscription is the routes' 404, as on ARM.
      if (!isKnownSubscription(core, operation.subscriptionId)) return route();
      if (core.rbac.isAllowed(principal, operation.action, operation.scope)) {
        const undeletable = undeletableResourceOf(
          core,
          principal,
          operation.action,
          operation.scope,
        );
        if (undeletable) throw refuse(undeletable.action, undeletable.scope);
        if (operation.writesType) {
          const missing = linkedAccessOf(operation.writesType, req.body).filter(
            (linked) => !core.rbac.isAllowed(principal, linked.action, linked.scope),
          );
          if (missing.length > 0) {
            throw rbacErrors.linkedAuthorizationFailed(
              callerName(req.claims),
              principal,
              operation.action,
              operation.scope,
              missing,
            );
          }
        }
        return route();
      }
      // A role above the scope that lacks the action is a refusal; only roles below narrow.
      if (operation.list && core.rbac.holdsRoleBelow(principal, operation.scope)) {
        return narrowList(
          route(),
          (item) =>
            typeof item.id === 'string' &&
            typeof item.type === 'string' &&
            core.rbac.isAllowed(principal, readActionOf(item.type), item.id),
        );
      }
      throw refuse(operation.action, operation.scope);
    }
  }
}

/**
 * A group's delete also needs delete on every resource in it: "To delete a resource group, you
 * need access to the delete action for the Microsoft.Resources/subscriptions/resourceGroups
 * resource. You also need delete for all resources in the resource group." (MicrosoftDocs
 * azure-docs, azure-resource-manager/management/delete-resource-group.md, "Required access and
 * deletion failures"). ARM deletes the tracked (top-level) resources itself; their children go
 * with them. The first resource the caller may not delete, if any.
 */
function undeletableResourceOf(
  core: EmulatorCore,
  principal: string,
  action: string,
  scope: string,
): { action: string; scope: string } | undefined {
  if (action.toLowerCase() !== 'microsoft.resources/subscriptions/resourcegroups/delete') return;
  const [, , subscriptionId, , name] = scope.split('/');
  const group = subscriptionId && name ? core.state.getGroup(subscriptionId, name) : undefined;
  if (!group) return undefined;
  for (const key of core.state.resourceKeysInGroup(groupKeyOf(subscriptionId!, name!))) {
    const resource = core.state.getResource(key);
    if (!resource || !isTopLevel(resource.type)) continue;
    const deleteAction = `${resource.type}/delete`;
    if (!core.rbac.isAllowed(principal, deleteAction, resource.id)) {
      return { action: deleteAction, scope: resource.id };
    }
  }
  return undefined;
}

function readActionOf(type: string): string {
  return type.toLowerCase() === 'microsoft.resources/resourcegroups'
    ? 'Microsoft.Resources/subscriptions/resourceGroups/read'
    : `${type}/read`;
}

function narrowList(
  response: ArmResponse,
  keep: (item: Record<string, unknown>) => boolean,
): ArmResponse {
  const body = response.body as { value?: unknown } | undefined;
  if (response.status !== 200 || !Array.isArray(body?.value)) return response;
  return {
    ...response,
    body: {
      ...body,
      value: body.value.filter(
        (item) =>
          item !== null && typeof item === 'object' && keep(item as Record<string, unknown>),
      ),
    },
  };
}

function isKnownSubscription(core: EmulatorCore, id: string): boolean {
  return GUID_PATTERN.test(id) && core.subscriptions.includes(id.toLowerCase());
}

/** Whether a role assignment's scope still exists: the tenant, a subscription, group or resource. */
export function scopeExists(core: EmulatorCore, scope: string): boolean {
  const segments = splitPath(scope);
  const lower = segments.map((segment) => segment.toLowerCase());
  if (segments.length === 0) return true;
  if (lower[0] !== 'subscriptions' || !segments[1]) return false;
  if (!isKnownSubscription(core, segments[1])) return false;
  if (segments.length === 2) return true;
  if (lower[2] === 'resourcegroups' && segments.length === 4) {
    return core.state.getGroup(segments[1], segments[3] as string) !== undefined;
  }
  return core.state.getResource(`/${segments.join('/')}`) !== undefined;
}
