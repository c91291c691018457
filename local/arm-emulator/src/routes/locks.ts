import { ArmError } from '../ArmError.js';
import type { LockLevel, LockRecord } from '../ArmState.js';
import { armErrors } from '../armErrors.js';
import { type ArmRequest, type ArmResponse, json } from '../armRequest.js';
import { groupId, LOCK_SUFFIX, lockShape } from '../armShapes.js';
import type { EmulatorCore } from '../EmulatorCore.js';
import { objectBody } from '../requestBodies.js';
import { requireGroup } from './resourceGroups.js';

const LEVELS: Record<string, LockLevel> = { cannotdelete: 'CanNotDelete', readonly: 'ReadOnly' };

/** Resolves a lock scope (subscription, group, or resource at any depth) to its canonical id. */
export function resolveScope(
  core: EmulatorCore,
  segments: string[],
  lower: string[],
): { scope: string; subscriptionId: string; groupName?: string } {
  const subscriptionId = core.requireSubscription(segments[1] as string);
  if (segments.length === 2) return { scope: `/subscriptions/${subscriptionId}`, subscriptionId };
  if (lower[2] !== 'resourcegroups' || segments.length < 4) {
    throw armErrors.noRoute('', `/${segments.join('/')}`);
  }
  const group = requireGroup(core, subscriptionId, segments[3] as string);
  if (segments.length === 4)
    return { scope: groupId(group), subscriptionId, groupName: group.name };
  const rest = segments.slice(6);
  if (lower[4] !== 'providers' || rest.length < 2 || rest.length % 2 !== 0) {
    throw armErrors.noRoute('', `/${segments.join('/')}`);
  }
  const id = `${groupId(group)}/providers/${segments[5]}/${rest.join('/')}`;
  const resource = core.state.getResource(id);
  if (!resource) throw armErrors.resourceNotFound(`${segments[5]}/${rest.join('/')}`, group.name);
  return { scope: resource.id, subscriptionId, groupName: group.name };
}

/** `{scope}/providers/Microsoft.Authorization/locks[/{name}]`. */
export function handleLocks(
  core: EmulatorCore,
  req: ArmRequest,
  scopeSegments: string[],
  scopeLower: string[],
  lockName: string | undefined,
): ArmResponse {
  const { scope, subscriptionId, groupName } = resolveScope(core, scopeSegments, scopeLower);
  const scopeKey = scope.toLowerCase();
  if (lockName === undefined) {
    if (req.method !== 'GET') throw armErrors.methodNotAllowed(req.method);
    const atScopeOnly = /^\s*atscope\(\)\s*$/i.test(req.query.get('$filter') ?? '');
    const locks = [
      ...core.state.locksAtOrAbove(scopeKey),
      ...(atScopeOnly ? [] : core.state.locksBelow(scopeKey)),
    ];
    return json(200, { value: locks.map(lockShape) });
  }
  const id = `${scope}${LOCK_SUFFIX}${lockName}`;
  const existing = core.state.locks.get(id.toLowerCase());
  switch (req.method) {
    case 'GET':
      if (!existing) {
        throw new ArmError(404, 'LockNotFound', `The lock '${lockName}' could not be found.`);
      }
      return json(200, lockShape(existing));
    case 'PUT': {
      if (groupName) {
        const group = core.state.getGroup(subscriptionId, groupName);
        if (group?.deleteOperationId) throw armErrors.resourceGroupBeingDeleted(group.name);
      }
      const body = objectBody(req.body);
      const properties = objectBody(body.properties);
      const level = LEVELS[String(properties.level ?? '').toLowerCase()];
      if (!level) {
        throw new ArmError(
          400,
          'LockLevelRequired',
          "The lock level is required. Valid values are 'CanNotDelete' and 'ReadOnly'.",
        );
      }
      const lock: LockRecord = {
        id: existing?.id ?? id,
        scopeKey,
        subscriptionId,
        name: existing?.name ?? lockName,
        level,
        ...(typeof properties.notes === 'string' ? { notes: properties.notes } : {}),
        ...(Array.isArray(properties.owners) ? { owners: properties.owners } : {}),
      };
      core.state.putLock(lock);
      return json(existing ? 200 : 201, lockShape(lock));
    }
    case 'DELETE':
      return json(core.state.removeLock(id) ? 200 : 204);
    default:
      throw armErrors.methodNotAllowed(req.method);
  }
}
