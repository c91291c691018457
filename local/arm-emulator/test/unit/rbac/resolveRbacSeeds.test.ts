import { describe, expect, it } from 'vitest';
import { CONTRIBUTOR_ROLE_ID, OWNER_ROLE_ID } from '../../../src/rbac/builtInRoles.js';
import { resolveRbacSeeds } from '../../../src/rbac/resolveRbacSeeds.js';

const subscription = '00000000-0000-4000-8000-00000000a001';
const principal = '11111111-1111-4111-8111-111111111111';
const context = {
  subscriptions: [subscription],
  defaultOwners: [principal],
  principalTypeOf: () => undefined,
  now: '2026-01-01T00:00:00.000Z',
};
const customRole = {
  roleName: 'Sandbox operator',
  permissions: [{ actions: ['Microsoft.Resources/subscriptions/resourceGroups/*'] }],
};

describe('resolveRbacSeeds', () => {
  it('makes the default identities Owner of every subscription when nothing is configured', () => {
    const { assignments } = resolveRbacSeeds({}, context);
    expect(assignments).toMatchObject([
      {
        principalId: principal,
        roleDefinitionName: OWNER_ROLE_ID,
        scope: `/subscriptions/${subscription}`,
      },
    ]);
  });

  it('assigns built-in roles by name and custom roles by name, with stable ids', () => {
    // Act
    const first = resolveRbacSeeds(
      {
        roleDefinitions: [customRole],
        roleAssignments: [
          { principalId: principal, role: 'contributor' },
          { principalId: principal, role: 'Sandbox operator', principalType: 'User' },
        ],
      },
      context,
    );
    const again = resolveRbacSeeds(
      {
        roleDefinitions: [customRole],
        roleAssignments: [{ principalId: principal, role: 'Contributor' }],
      },
      context,
    );
    // Assess
    expect(first.roles[0]).toMatchObject({
      roleType: 'CustomRole',
      assignableScopes: [`/subscriptions/${subscription}`],
    });
    expect(first.assignments.map((a) => [a.roleDefinitionName, a.principalType])).toEqual([
      [CONTRIBUTOR_ROLE_ID, 'ServicePrincipal'],
      [first.roles[0]?.name, 'User'],
    ]);
    expect(again.assignments[0]?.name).toBe(first.assignments[0]?.name);
  });

  it.each([
    [
      { roleAssignments: [{ principalId: principal, role: 'Janitor' }] },
      "Role 'Janitor' is neither a built-in role (Owner, Contributor, Reader, Tag Contributor, User Access Administrator, Storage Queue Data Message Sender, Storage Blob Data Contributor) nor one of the custom roles given.",
    ],
    [
      { roleAssignments: [{ principalId: 'app', role: 'Reader' }] },
      "Principal id 'app' of a role assignment is not a GUID.",
    ],
    [
      {
        roleAssignments: [
          { principalId: principal, role: 'Reader', scope: '/subscriptions/other' },
        ],
      },
      "Scope '/subscriptions/other' of a role assignment is not in this emulator's subscriptions.",
    ],
    [
      { roleDefinitions: [{ ...customRole, roleName: 'Owner' }] },
      "Custom role 'Owner' has the name of a built-in role.",
    ],
    [
      {
        roleDefinitions: [
          { ...customRole, assignableScopes: [`/subscriptions/${subscription}/resourceGroups/rg`] },
        ],
        roleAssignments: [{ principalId: principal, role: 'Sandbox operator' }],
      },
      `Role 'Sandbox operator' cannot be assigned at '/subscriptions/${subscription}': it is assignable only at /subscriptions/${subscription}/resourceGroups/rg.`,
    ],
  ])('refuses %j', (input, message) => {
    expect(() => resolveRbacSeeds(input, context)).toThrow(message);
  });
});
