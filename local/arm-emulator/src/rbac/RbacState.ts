import { actionMatches } from './actionMatches.js';
import { BUILT_IN_ROLES, type RoleDefinition } from './builtInRoles.js';
import { isAtOrBelow } from './scopes.js';

export type PrincipalType = 'User' | 'Group' | 'ServicePrincipal' | 'ForeignGroup' | 'Device';

export interface RoleAssignmentRecord {
  /** The assignment's GUID, lower case. Unique across the tenant, as on ARM. */
  name: string;
  /** Canonical scope: `/`, a subscription, group or resource id. */
  scope: string;
  /** The role definition's GUID, lower case. */
  roleDefinitionName: string;
  /** Lower case. */
  principalId: string;
  principalType: PrincipalType;
  description: string | null;
  condition: string | null;
  conditionVersion: string | null;
  createdOn: string;
  updatedOn: string;
  createdBy: string | null;
  updatedBy: string | null;
  /** Comes from the emulator's options: applied at every start, never persisted. */
  seeded?: boolean;
}

export interface CustomRoleRecord extends RoleDefinition {
  roleType: 'CustomRole';
  seeded?: boolean;
}

export interface RbacSnapshot {
  roleDefinitions: CustomRoleRecord[];
  roleAssignments: RoleAssignmentRecord[];
}

/**
 * Whether one of a role's permission blocks allows the action: an `actions` entry matches it and
 * no `notActions` entry of the same block does. `notActions` subtract within a role, they do not
 * deny (a second role that allows the action still grants it), as in Azure RBAC.
 *
 * @example
 * permits(builtInRole('Contributor')!, 'Microsoft.Authorization/locks/delete'); // false
 */
export function permits(role: RoleDefinition, action: string): boolean {
  return role.permissions.some(
    (permission) =>
      permission.actions.some((pattern) => actionMatches(pattern, action)) &&
      !permission.notActions.some((pattern) => actionMatches(pattern, action)),
  );
}

/** Whether one of a role's permission blocks allows a data action (`dataActions` less `notDataActions`). */
export function permitsData(role: RoleDefinition, dataAction: string): boolean {
  return role.permissions.some(
    (permission) =>
      permission.dataActions.some((pattern) => actionMatches(pattern, dataAction)) &&
      !permission.notDataActions.some((pattern) => actionMatches(pattern, dataAction)),
  );
}

/** Why ARM let a request through: the assignment and the role that allowed it. */
export interface AccessGrant {
  assignment: RoleAssignmentRecord;
  role: RoleDefinition;
}

/**
 * Custom role definitions and role assignments. Pure data and the access decisions over it; the
 * built-in roles are constants. Records from the options ("seeds") are re-applied at every
 * start and survive `reset()`; those created through ARM are persisted and reset.
 */
export class RbacState {
  readonly assignments = new Map<string, RoleAssignmentRecord>();
  readonly customRoles = new Map<string, CustomRoleRecord>();
  private seeds: { roles: CustomRoleRecord[]; assignments: RoleAssignmentRecord[] } = {
    roles: [],
    assignments: [],
  };

  constructor(private readonly changed: () => void = () => {}) {}

  /** A built-in or custom role by GUID. */
  roleDefinition(name: string): RoleDefinition | undefined {
    const key = name.toLowerCase();
    return this.customRoles.get(key) ?? BUILT_IN_ROLES.find((role) => role.name === key);
  }

  roleDefinitions(): RoleDefinition[] {
    return [...BUILT_IN_ROLES, ...this.customRoles.values()];
  }

  putRole(role: CustomRoleRecord): void {
    this.customRoles.set(role.name, role);
    this.changed();
  }

  removeRole(name: string): boolean {
    const removed = this.customRoles.delete(name.toLowerCase());
    if (removed) this.changed();
    return removed;
  }

  putAssignment(assignment: RoleAssignmentRecord): void {
    this.assignments.set(assignment.name, assignment);
    this.changed();
  }

  removeAssignment(name: string): boolean {
    const removed = this.assignments.delete(name.toLowerCase());
    if (removed) this.changed();
    return removed;
  }

  /** Whether some role assigned to the principal at or above `scope` allows `action` there. */
  isAllowed(principalId: string, action: string, scope: string): boolean {
    return this.grantFor(principalId, action, scope) !== undefined;
  }

  /**
   * The first assignment at or above `scope` whose role allows `action` there: the evidence ARM
   * records with each operation. Undefined when none does.
   */
  grantFor(principalId: string, action: string, scope: string): AccessGrant | undefined {
    return this.findGrant(principalId, scope, (role) => permits(role, action));
  }

  /** Whether some role assigned to the principal at or above `scope` allows a data action there. */
  isDataActionAllowed(principalId: string, dataAction: string, scope: string): boolean {
    return (
      this.findGrant(principalId, scope, (role) => permitsData(role, dataAction)) !== undefined
    );
  }

  private findGrant(
    principalId: string,
    scope: string,
    allows: (role: RoleDefinition) => boolean,
  ): AccessGrant | undefined {
    const principal = principalId.toLowerCase();
    for (const assignment of this.assignments.values()) {
      if (assignment.principalId !== principal || !isAtOrBelow(scope, assignment.scope)) continue;
      const role = this.roleDefinition(assignment.roleDefinitionName);
      if (role && allows(role)) return { assignment, role };
    }
    return undefined;
  }

  /** Whether the principal holds any role at, above or below `scope`. */
  hasAccessWithin(principalId: string, scope: string): boolean {
    const principal = principalId.toLowerCase();
    for (const assignment of this.assignments.values()) {
      if (
        assignment.principalId === principal &&
        (isAtOrBelow(scope, assignment.scope) || isAtOrBelow(assignment.scope, scope))
      ) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the principal holds a role strictly below `scope` (on a group of a listed
   * subscription, a resource of a listed group): what makes ARM narrow a list rather than refuse.
   */
  holdsRoleBelow(principalId: string, scope: string): boolean {
    const principal = principalId.toLowerCase();
    for (const assignment of this.assignments.values()) {
      if (
        assignment.principalId === principal &&
        isAtOrBelow(assignment.scope, scope) &&
        !isAtOrBelow(scope, assignment.scope)
      ) {
        return true;
      }
    }
    return false;
  }

  /** Replaces the records that came from the options with these. */
  seed(roles: CustomRoleRecord[], assignments: RoleAssignmentRecord[]): void {
    for (const role of this.seeds.roles) this.customRoles.delete(role.name);
    for (const assignment of this.seeds.assignments) this.assignments.delete(assignment.name);
    this.seeds = {
      roles: roles.map((role) => ({ ...role, seeded: true })),
      assignments: assignments.map((assignment) => ({ ...assignment, seeded: true })),
    };
    this.applySeeds();
    this.changed();
  }

  /**
   * Drops assignments whose scope no longer exists. ARM leaves them orphaned for a while and then
   * removes them; a group created again under the same name must not inherit its predecessor's.
   */
  purge(scopeExists: (scope: string) => boolean): void {
    for (const [name, assignment] of this.assignments) {
      if (!assignment.seeded && !scopeExists(assignment.scope)) {
        this.assignments.delete(name);
        this.changed();
      }
    }
  }

  /** Back to the seeds alone. */
  reset(): void {
    this.customRoles.clear();
    this.assignments.clear();
    this.applySeeds();
    this.changed();
  }

  snapshot(): RbacSnapshot {
    return {
      roleDefinitions: [...this.customRoles.values()].filter((role) => !role.seeded),
      roleAssignments: [...this.assignments.values()].filter((assignment) => !assignment.seeded),
    };
  }

  restore(snapshot: Partial<RbacSnapshot> | undefined): void {
    this.customRoles.clear();
    this.assignments.clear();
    for (const role of snapshot?.roleDefinitions ?? []) this.customRoles.set(role.name, role);
    for (const assignment of snapshot?.roleAssignments ?? []) {
      this.assignments.set(assignment.name, assignment);
    }
    this.applySeeds();
  }

  private applySeeds(): void {
    for (const role of this.seeds.roles) this.customRoles.set(role.name, role);
    for (const assignment of this.seeds.assignments) {
      this.assignments.set(assignment.name, assignment);
    }
  }
}
