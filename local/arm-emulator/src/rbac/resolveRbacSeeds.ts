import { deterministicGuid, GUID_PATTERN } from '../deterministicGuid.js';
import { BUILT_IN_ROLES, builtInRole, OWNER_ROLE_ID, type Permission } from './builtInRoles.js';
import type { CustomRoleRecord, PrincipalType, RoleAssignmentRecord } from './RbacState.js';
import { isAtOrBelow, normalizeScope, subscriptionOf } from './scopes.js';

/** A custom role, in the shape of ARM's role definition properties. */
export interface CustomRoleSeed {
  /** The role definition's GUID; derived from the name when omitted. */
  id?: string;
  roleName: string;
  description?: string;
  permissions: Array<Partial<Permission>>;
  /** Default: every subscription of the emulator. */
  assignableScopes?: string[];
}

export interface RoleAssignmentSeed {
  principalId: string;
  /** A built-in role's name or id (`Contributor`), or a custom role's name or id. */
  role: string;
  /** Default: the default subscription. */
  scope?: string;
  /** Default: the type of the principal the emulator knows, else `ServicePrincipal`. */
  principalType?: PrincipalType;
}

export interface RbacSeedContext {
  subscriptions: string[];
  /** Given Owner on every subscription when no role assignments are configured. */
  defaultOwners: string[];
  principalTypeOf(principalId: string): PrincipalType | undefined;
  now: string;
}

export class RbacSeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RbacSeedError';
  }
}

/**
 * Turns the emulator's `roleDefinitions` and `roleAssignments` options into records, with stable
 * ids, and fails with a message naming the bad entry. Without `roleAssignments`, the default
 * identities are Owner of every subscription.
 *
 * @example
 * resolveRbacSeeds({ roleAssignments: [{ principalId, role: 'Contributor' }] }, context);
 */
export function resolveRbacSeeds(
  input: { roleDefinitions?: CustomRoleSeed[]; roleAssignments?: RoleAssignmentSeed[] },
  context: RbacSeedContext,
): { roles: CustomRoleRecord[]; assignments: RoleAssignmentRecord[] } {
  const subscriptionScopes = context.subscriptions.map((id) => `/subscriptions/${id}`);
  const roles = (input.roleDefinitions ?? []).map((seed): CustomRoleRecord => {
    const roleName = seed.roleName?.trim();
    if (!roleName) throw new RbacSeedError('A custom role definition needs a roleName.');
    if (builtInRole(roleName)) {
      throw new RbacSeedError(`Custom role '${roleName}' has the name of a built-in role.`);
    }
    const name = (
      seed.id ?? deterministicGuid('roleDefinition', roleName.toLowerCase())
    ).toLowerCase();
    if (!GUID_PATTERN.test(name)) {
      throw new RbacSeedError(
        `Custom role '${roleName}' has id '${seed.id}', which is not a GUID.`,
      );
    }
    return {
      name,
      roleName,
      description: seed.description ?? '',
      roleType: 'CustomRole',
      permissions: seed.permissions.map((permission) => ({
        actions: permission.actions ?? [],
        notActions: permission.notActions ?? [],
        dataActions: permission.dataActions ?? [],
        notDataActions: permission.notDataActions ?? [],
      })),
      assignableScopes: (seed.assignableScopes ?? subscriptionScopes).map(normalizeScope),
      createdOn: context.now,
      updatedOn: context.now,
      createdBy: null,
      updatedBy: null,
    };
  });
  const names = new Set<string>();
  for (const role of roles) {
    const key = role.roleName.toLowerCase();
    if (names.has(key)) throw new RbacSeedError(`Custom role '${role.roleName}' is given twice.`);
    names.add(key);
  }
  const seeds: RoleAssignmentSeed[] =
    input.roleAssignments ??
    context.defaultOwners.flatMap((principalId) =>
      subscriptionScopes.map((scope) => ({ principalId, role: OWNER_ROLE_ID, scope })),
    );
  const assignments = seeds.map((seed): RoleAssignmentRecord => {
    const role =
      builtInRole(seed.role) ??
      roles.find(
        (custom) =>
          custom.name === seed.role.toLowerCase() ||
          custom.roleName.toLowerCase() === seed.role.toLowerCase(),
      );
    if (!role) {
      throw new RbacSeedError(
        `Role '${seed.role}' is neither a built-in role (${BUILT_IN_ROLES.map((builtIn) => builtIn.roleName).join(', ')}) nor one of the custom roles given.`,
      );
    }
    if (!GUID_PATTERN.test(seed.principalId ?? '')) {
      throw new RbacSeedError(
        `Principal id '${seed.principalId}' of a role assignment is not a GUID.`,
      );
    }
    const scope = normalizeScope(seed.scope ?? subscriptionScopes[0] ?? '/');
    const subscription = subscriptionOf(scope);
    if (scope !== '/' && !(subscription && context.subscriptions.includes(subscription))) {
      throw new RbacSeedError(
        `Scope '${scope}' of a role assignment is not in this emulator's subscriptions.`,
      );
    }
    if (!role.assignableScopes.some((assignable) => isAtOrBelow(scope, assignable))) {
      throw new RbacSeedError(
        `Role '${role.roleName}' cannot be assigned at '${scope}': it is assignable only at ${role.assignableScopes.join(', ')}.`,
      );
    }
    const principalId = seed.principalId.toLowerCase();
    return {
      name: deterministicGuid('roleAssignment', scope.toLowerCase(), principalId, role.name),
      scope,
      roleDefinitionName: role.name,
      principalId,
      principalType:
        seed.principalType ?? context.principalTypeOf(principalId) ?? 'ServicePrincipal',
      description: null,
      condition: null,
      conditionVersion: null,
      createdOn: context.now,
      updatedOn: context.now,
      createdBy: null,
      updatedBy: null,
    };
  });
  return { roles, assignments };
}
