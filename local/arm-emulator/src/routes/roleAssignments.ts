import { armErrors } from '../armErrors.js';
import { type ArmRequest, type ArmResponse, json } from '../armRequest.js';
import { GUID_PATTERN } from '../deterministicGuid.js';
import type { EmulatorCore } from '../EmulatorCore.js';
import { TENANT_ID } from '../EmulatorOptions.js';
import type { PrincipalType, RoleAssignmentRecord } from '../rbac/RbacState.js';
import { rbacErrors } from '../rbac/rbacErrors.js';
import { isAtOrBelow, subscriptionOf } from '../rbac/scopes.js';
import { objectBody } from '../requestBodies.js';

const PRINCIPAL_TYPES: readonly PrincipalType[] = [
  'User',
  'Group',
  'ServicePrincipal',
  'ForeignGroup',
  'Device',
];

const sameScope = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** `…/providers/Microsoft.Authorization/roleDefinitions/{guid}`, under the scope's subscription. */
export function roleDefinitionIdOf(scope: string, roleDefinitionName: string): string {
  const subscription = subscriptionOf(scope);
  return `${subscription ? `/subscriptions/${subscription}` : ''}/providers/Microsoft.Authorization/roleDefinitions/${roleDefinitionName}`;
}

/** A role assignment as `Microsoft.Authorization` answers it (api-version 2022-04-01). */
export function roleAssignmentShape(assignment: RoleAssignmentRecord) {
  const scopePrefix = assignment.scope === '/' ? '' : assignment.scope;
  return {
    properties: {
      roleDefinitionId: roleDefinitionIdOf(assignment.scope, assignment.roleDefinitionName),
      principalId: assignment.principalId,
      principalType: assignment.principalType,
      scope: assignment.scope,
      condition: assignment.condition,
      conditionVersion: assignment.conditionVersion,
      createdOn: assignment.createdOn,
      updatedOn: assignment.updatedOn,
      createdBy: assignment.createdBy,
      updatedBy: assignment.updatedBy,
      delegatedManagedIdentityResourceId: null,
      description: assignment.description,
    },
    id: `${scopePrefix}/providers/Microsoft.Authorization/roleAssignments/${assignment.name}`,
    type: 'Microsoft.Authorization/roleAssignments',
    name: assignment.name,
  };
}

/** `$filter`: `atScope()`, `principalId eq '{id}'`, `assignedTo('{id}')`, joined by `and`. */
function parseFilter(filter: string | null): { atScope: boolean; principalId?: string } {
  const result: { atScope: boolean; principalId?: string } = { atScope: false };
  if (!filter?.trim()) return result;
  for (const term of filter.trim().split(/\s+and\s+/i)) {
    const principal =
      /^principalId\s+eq\s+'?([^']+?)'?$/i.exec(term) ?? /^assignedTo\('([^']+)'\)$/i.exec(term);
    if (/^atScope\(\)$/i.test(term)) result.atScope = true;
    else if (principal?.[1]) result.principalId = principal[1].toLowerCase();
    else {
      throw rbacErrors.unsupportedFilter(
        filter,
        "atScope(), principalId eq '{id}', assignedTo('{id}')",
      );
    }
  }
  return result;
}

const optionalText = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * `{scope}/providers/Microsoft.Authorization/roleAssignments[/{name}]` at a subscription, group or
 * resource: list (at, above and below the scope; `atScope()` for at and above; by principal),
 * GET, PUT (201, 200 on an unchanged re-PUT) and DELETE (200 with the assignment, 204 when gone).
 */
export function handleRoleAssignments(
  core: EmulatorCore,
  req: ArmRequest,
  scope: string,
  name: string | undefined,
): ArmResponse {
  if (name === undefined) {
    if (req.method !== 'GET') throw armErrors.methodNotAllowed(req.method);
    const filter = parseFilter(req.query.get('$filter'));
    const value = [...core.rbac.assignments.values()]
      .filter(
        (assignment) =>
          (isAtOrBelow(scope, assignment.scope) ||
            (!filter.atScope && isAtOrBelow(assignment.scope, scope))) &&
          (!filter.principalId || assignment.principalId === filter.principalId),
      )
      .map(roleAssignmentShape);
    return json(200, { value });
  }
  const key = name.toLowerCase();
  const existing = core.rbac.assignments.get(key);
  const atThisScope = existing && sameScope(existing.scope, scope) ? existing : undefined;
  switch (req.method) {
    case 'GET':
      if (!atThisScope) throw rbacErrors.roleAssignmentNotFound(name);
      return json(200, roleAssignmentShape(atThisScope));
    case 'DELETE':
      if (!atThisScope) return json(204);
      core.rbac.removeAssignment(key);
      return json(200, roleAssignmentShape(atThisScope));
    case 'PUT':
      return putRoleAssignment(core, req, scope, key, existing);
    default:
      throw armErrors.methodNotAllowed(req.method);
  }
}

function putRoleAssignment(
  core: EmulatorCore,
  req: ArmRequest,
  scope: string,
  name: string,
  existing: RoleAssignmentRecord | undefined,
): ArmResponse {
  if (!GUID_PATTERN.test(name)) throw rbacErrors.invalidRoleAssignmentId(name);
  const properties = objectBody(objectBody(req.body).properties);
  if (typeof properties.roleDefinitionId !== 'string') {
    throw armErrors.invalidRequestContent(
      "Required property 'roleDefinitionId' not found in JSON. Path 'properties'.",
    );
  }
  const roleGuid = properties.roleDefinitionId.split('/').pop() ?? '';
  const role = core.rbac.roleDefinition(roleGuid);
  if (!role?.assignableScopes.some((assignable) => isAtOrBelow(scope, assignable))) {
    throw rbacErrors.roleDefinitionDoesNotExist(400, roleGuid);
  }
  const principalId =
    typeof properties.principalId === 'string' ? properties.principalId.toLowerCase() : '';
  if (!GUID_PATTERN.test(principalId)) throw rbacErrors.invalidPrincipalId();
  const given = properties.principalType;
  if (given !== undefined && !PRINCIPAL_TYPES.includes(given as PrincipalType)) {
    throw armErrors.invalidRequestContent(
      `Error converting value "${String(given)}" to type 'PrincipalType'. Path 'properties.principalType'.`,
    );
  }
  const known = core.principalTypeOf(principalId);
  if (!given && !known) throw rbacErrors.principalNotFound(principalId, TENANT_ID);
  if (given && known && given !== known) {
    throw rbacErrors.unmatchedPrincipalType(principalId, known, String(given));
  }
  const now = new Date(req.now).toISOString();
  const caller = req.claims.oid;
  const fields = {
    description: optionalText(properties.description),
    condition: optionalText(properties.condition),
    conditionVersion: optionalText(properties.conditionVersion),
  };
  if (existing) {
    if (
      !sameScope(existing.scope, scope) ||
      existing.principalId !== principalId ||
      existing.roleDefinitionName !== role.name
    ) {
      throw rbacErrors.roleAssignmentUpdateNotPermitted();
    }
    const updated = { ...existing, ...fields, updatedOn: now, updatedBy: caller };
    core.rbac.putAssignment(updated);
    return json(200, roleAssignmentShape(updated));
  }
  for (const other of core.rbac.assignments.values()) {
    if (
      sameScope(other.scope, scope) &&
      other.principalId === principalId &&
      other.roleDefinitionName === role.name
    ) {
      throw rbacErrors.roleAssignmentExists(other.name);
    }
  }
  const assignment: RoleAssignmentRecord = {
    name,
    scope,
    roleDefinitionName: role.name,
    principalId,
    principalType: (given as PrincipalType | undefined) ?? known ?? 'User',
    ...fields,
    createdOn: now,
    updatedOn: now,
    createdBy: null,
    updatedBy: caller,
  };
  core.rbac.putAssignment(assignment);
  return json(201, roleAssignmentShape(assignment));
}
