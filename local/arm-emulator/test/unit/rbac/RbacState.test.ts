import { describe, expect, it } from 'vitest';
import {
  builtInRole,
  CONTRIBUTOR_ROLE_ID,
  READER_ROLE_ID,
  type RoleDefinition,
} from '../../../src/rbac/builtInRoles.js';
import { permits, RbacState, type RoleAssignmentRecord } from '../../../src/rbac/RbacState.js';

const sub = '/subscriptions/00000000-0000-4000-8000-00000000a001';
const rg = `${sub}/resourceGroups/rg`;
const principal = '11111111-1111-4111-8111-111111111111';

const assignment = (
  name: string,
  scope: string,
  role: string,
  overrides: Partial<RoleAssignmentRecord> = {},
): RoleAssignmentRecord => ({
  name,
  scope,
  roleDefinitionName: role,
  principalId: principal,
  principalType: 'ServicePrincipal',
  description: null,
  condition: null,
  conditionVersion: null,
  createdOn: '2026-01-01T00:00:00.000Z',
  updatedOn: '2026-01-01T00:00:00.000Z',
  createdBy: null,
  updatedBy: null,
  ...overrides,
});

// Built-in permissions from MicrosoftDocs/azure-docs built-in-roles/privileged.md and general.md.
describe('permits', () => {
  it.each([
    ['Contributor', 'Microsoft.Resources/subscriptions/resourcegroups/write', true],
    ['Contributor', 'Microsoft.Authorization/locks/delete', false],
    ['Contributor', 'Microsoft.Authorization/roleAssignments/write', false],
    ['Contributor', 'Microsoft.Authorization/roleAssignments/read', true],
    ['Reader', 'Microsoft.Compute/virtualMachines/read', true],
    ['Reader', 'Microsoft.Compute/virtualMachines/deallocate/action', false],
    ['Tag Contributor', 'Microsoft.Resources/tags/write', true],
    ['Tag Contributor', 'Microsoft.Resources/subscriptions/resourceGroups/write', false],
    ['User Access Administrator', 'Microsoft.Authorization/roleAssignments/write', true],
    ['User Access Administrator', 'Microsoft.Storage/storageAccounts/write', false],
    ['Owner', 'Microsoft.Authorization/locks/delete', true],
  ])('%s allows %s: %s', (role, action, expected) => {
    expect(permits(builtInRole(role) as RoleDefinition, action)).toBe(expected);
  });
});

describe('RbacState', () => {
  it('applies a role assigned above the scope, not one assigned below it', () => {
    // Prepare
    const state = new RbacState();
    state.putAssignment(assignment('a1', rg, CONTRIBUTOR_ROLE_ID));
    // Act
    const below = state.isAllowed(
      principal,
      'Microsoft.Storage/storageAccounts/write',
      `${rg}/providers/Microsoft.Storage/storageAccounts/x`,
    );
    const above = state.isAllowed(principal, 'Microsoft.Storage/storageAccounts/write', sub);
    const sibling = state.isAllowed(
      principal,
      'Microsoft.Storage/storageAccounts/write',
      `${sub}/resourceGroups/rg2`,
    );
    // Assess
    expect([below, above, sibling]).toEqual([true, false, false]);
  });

  it('lets a second role grant what the first one’s notActions leave out', () => {
    // Prepare
    const state = new RbacState();
    state.putRole({
      name: '22222222-2222-4222-8222-222222222222',
      roleName: 'Lock remover',
      description: '',
      roleType: 'CustomRole',
      permissions: [
        {
          actions: ['Microsoft.Authorization/locks/*'],
          notActions: [],
          dataActions: [],
          notDataActions: [],
        },
      ],
      assignableScopes: [sub],
    });
    state.putAssignment(assignment('a1', sub, CONTRIBUTOR_ROLE_ID));
    const before = state.isAllowed(principal, 'Microsoft.Authorization/locks/delete', rg);
    // Act
    state.putAssignment(assignment('a2', rg, '22222222-2222-4222-8222-222222222222'));
    // Assess
    expect(before).toBe(false);
    expect(state.isAllowed(principal, 'Microsoft.Authorization/locks/delete', rg)).toBe(true);
  });

  it('keeps seeds through a reset and out of the snapshot, and drops the rest', () => {
    // Prepare
    const state = new RbacState();
    state.seed([], [assignment('seeded', sub, READER_ROLE_ID)]);
    state.putAssignment(assignment('made', rg, CONTRIBUTOR_ROLE_ID));
    const snapshot = state.snapshot();
    // Act
    state.reset();
    // Assess
    expect(snapshot.roleAssignments.map((a) => a.name)).toEqual(['made']);
    expect([...state.assignments.keys()]).toEqual(['seeded']);
  });

  it('purges assignments whose scope is gone, but never seeds', () => {
    // Prepare
    const state = new RbacState();
    state.seed([], [assignment('seeded', rg, READER_ROLE_ID)]);
    state.putAssignment(
      assignment('made', rg, CONTRIBUTOR_ROLE_ID, {
        principalId: '33333333-3333-4333-8333-333333333333',
      }),
    );
    // Act
    state.purge((scope) => scope !== rg);
    // Assess
    expect([...state.assignments.keys()]).toEqual(['seeded']);
  });

  it('tells whether a principal holds any role within a scope, above or below it', () => {
    const state = new RbacState();
    state.putAssignment(assignment('a1', rg, READER_ROLE_ID));
    expect(state.hasAccessWithin(principal, sub)).toBe(true);
    expect(
      state.hasAccessWithin(principal, `${rg}/providers/Microsoft.Storage/storageAccounts/x`),
    ).toBe(true);
    expect(state.hasAccessWithin(principal, `${sub}/resourceGroups/other`)).toBe(false);
  });
});
