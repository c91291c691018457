import { ArmError } from '../ArmError.js';
import { armErrors } from '../armErrors.js';
import { type ArmRequest, type ArmResponse, json } from '../armRequest.js';
import { GUID_PATTERN } from '../deterministicGuid.js';
import type { EmulatorCore } from '../EmulatorCore.js';
import { scopeExists } from '../rbac/authorizeArmRequest.js';
import { builtInRole, type Permission, type RoleDefinition } from '../rbac/builtInRoles.js';
import type { CustomRoleRecord } from '../rbac/RbacState.js';
import { rbacErrors } from '../rbac/rbacErrors.js';
import { isAtOrBelow, normalizeScope, subscriptionOf } from '../rbac/scopes.js';
import { objectBody } from '../requestBodies.js';

/** A role definition as `Microsoft.Authorization` answers it, under the request's subscription. */
export function roleDefinitionShape(role: RoleDefinition, requestScope: string) {
  const subscription = subscriptionOf(requestScope);
  return {
    properties: {
      roleName: role.roleName,
      type: role.roleType,
      description: role.description,
      assignableScopes: role.assignableScopes,
      permissions: role.permissions,
      ...(role.createdOn ? { createdOn: role.createdOn, updatedOn: role.updatedOn } : {}),
      createdBy: role.createdBy ?? null,
      updatedBy: role.updatedBy ?? null,
    },
    id: `${subscription ? `/subscriptions/${subscription}` : ''}/providers/Microsoft.Authorization/roleDefinitions/${role.name}`,
    type: 'Microsoft.Authorization/roleDefinitions',
    name: role.name,
  };
}

/** `$filter`: `roleName eq '{name}'`, `type eq 'BuiltInRole'|'CustomRole'`, `atScopeAndBelow()`. */
function parseFilter(filter: string | null) {
  const result: { roleName?: string; type?: string; below: boolean } = { below: false };
  if (!filter?.trim()) return result;
  for (const term of filter.trim().split(/\s+and\s+/i)) {
    const roleName = /^roleName\s+eq\s+'(.*)'$/i.exec(term);
    const type = /^type\s+eq\s+'(.*)'$/i.exec(term);
    if (/^atScopeAndBelow\(\)$/i.test(term)) result.below = true;
    else if (roleName) result.roleName = roleName[1]?.toLowerCase();
    else if (type) result.type = type[1]?.toLowerCase();
    else {
      throw rbacErrors.unsupportedFilter(
        filter,
        "roleName eq '{name}', type eq 'BuiltInRole' or 'CustomRole', atScopeAndBelow()",
      );
    }
  }
  return result;
}

const strings = (value: unknown, path: string): string[] => {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw armErrors.invalidRequestContent(
      `Error converting value to type 'List<String>'. Path '${path}'.`,
    );
  }
  return value as string[];
};

const assignableAt = (role: RoleDefinition, scope: string, below: boolean) =>
  role.assignableScopes.some(
    (assignable) => isAtOrBelow(scope, assignable) || (below && isAtOrBelow(assignable, scope)),
  );

/**
 * `{scope}/providers/Microsoft.Authorization/roleDefinitions[/{id}]` (and the tenant-level
 * `/providers/…`): the built-in roles and custom ones assignable at the scope, GET by id, PUT of a
 * custom role (201) and DELETE (200, 204 when gone, 409 while assigned).
 */
export function handleRoleDefinitions(
  core: EmulatorCore,
  req: ArmRequest,
  scope: string,
  id: string | undefined,
): ArmResponse {
  if (id === undefined) {
    if (req.method !== 'GET') throw armErrors.methodNotAllowed(req.method);
    const filter = parseFilter(req.query.get('$filter'));
    const value = core.rbac
      .roleDefinitions()
      .filter(
        (role) =>
          assignableAt(role, scope, filter.below) &&
          (!filter.roleName || role.roleName.toLowerCase() === filter.roleName) &&
          (!filter.type || role.roleType.toLowerCase() === filter.type),
      )
      .map((role) => roleDefinitionShape(role, scope));
    return json(200, { value });
  }
  const name = id.toLowerCase();
  const existing = core.rbac.roleDefinition(name);
  switch (req.method) {
    case 'GET':
      // A custom role is found only where it can be assigned (or below it).
      if (!existing || (scope !== '/' && !assignableAt(existing, scope, true))) {
        throw rbacErrors.roleDefinitionDoesNotExist(404, id);
      }
      return json(200, roleDefinitionShape(existing, scope));
    case 'DELETE': {
      if (!existing) return json(204);
      if (existing.roleType === 'BuiltInRole') throw builtInUnchangeable(existing);
      const assigned = [...core.rbac.assignments.values()].some(
        (assignment) => assignment.roleDefinitionName === name,
      );
      if (assigned) throw rbacErrors.roleDefinitionHasAssignments();
      core.rbac.removeRole(name);
      return json(200, roleDefinitionShape(existing, scope));
    }
    case 'PUT':
      return putRoleDefinition(core, req, scope, name, existing);
    default:
      throw armErrors.methodNotAllowed(req.method);
  }
}

function builtInUnchangeable(role: RoleDefinition): ArmError {
  return rbacErrors.invalidRoleDefinition(`Built-in role '${role.roleName}' cannot be changed.`);
}

function putRoleDefinition(
  core: EmulatorCore,
  req: ArmRequest,
  scope: string,
  name: string,
  existing: RoleDefinition | undefined,
): ArmResponse {
  if (!GUID_PATTERN.test(name)) {
    throw rbacErrors.invalidRoleDefinition(
      `The role definition ID '${name}' is not valid. The role definition ID must be a GUID.`,
    );
  }
  if (existing?.roleType === 'BuiltInRole') throw builtInUnchangeable(existing);
  const properties = objectBody(objectBody(req.body).properties);
  const roleName = typeof properties.roleName === 'string' ? properties.roleName.trim() : '';
  if (!roleName) {
    throw new ArmError(
      400,
      'RoleDefinitionNameNullOrEmpty',
      'The role definition name cannot be null or empty.',
    );
  }
  if (!Array.isArray(properties.permissions) || properties.permissions.length === 0) {
    throw rbacErrors.invalidRoleDefinition(
      'The role definition must have at least one permission.',
    );
  }
  const permissions: Permission[] = properties.permissions.map((block, i) => {
    const given = objectBody(block);
    return {
      actions: strings(given.actions, `properties.permissions[${i}].actions`),
      notActions: strings(given.notActions, `properties.permissions[${i}].notActions`),
      dataActions: strings(given.dataActions, `properties.permissions[${i}].dataActions`),
      notDataActions: strings(given.notDataActions, `properties.permissions[${i}].notDataActions`),
    };
  });
  const assignableScopes = strings(properties.assignableScopes, 'properties.assignableScopes').map(
    normalizeScope,
  );
  if (assignableScopes.length === 0) {
    throw rbacErrors.invalidRoleDefinition(
      'The role definition must have at least one assignable scope.',
    );
  }
  for (const assignable of assignableScopes) {
    if (assignable === '/' || !scopeExists(core, assignable)) {
      throw rbacErrors.invalidRoleDefinition(
        `The assignable scope '${assignable}' is not valid: it must be an existing subscription, resource group or resource.`,
      );
    }
  }
  const sameName = core.rbac
    .roleDefinitions()
    .find((role) => role.name !== name && role.roleName.toLowerCase() === roleName.toLowerCase());
  if (sameName || builtInRole(roleName)) throw rbacErrors.roleDefinitionWithSameNameExists();
  const now = new Date(req.now).toISOString();
  const role: CustomRoleRecord = {
    name,
    roleName,
    description: typeof properties.description === 'string' ? properties.description : '',
    roleType: 'CustomRole',
    permissions,
    assignableScopes,
    createdOn: existing?.createdOn ?? now,
    updatedOn: now,
    createdBy: existing?.createdBy ?? req.claims.oid,
    updatedBy: req.claims.oid,
  };
  core.rbac.putRole(role);
  return json(201, roleDefinitionShape(role, scope));
}
