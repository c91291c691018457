/**
 * The app's role as `infra/appRole.json` defines it: the one list of ARM actions the app's
 * identity holds in Azure, in `npm start` and in every end-to-end test.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CustomRoleSeed,
  DEFAULT_USER_ASSIGNED_IDENTITIES,
  type RoleAssignmentSeed,
  SYSTEM_IDENTITY,
} from '@sandbox-automation/arm-emulator';

export interface AppRole {
  roleName: string;
  description: string;
  actions: string[];
}

export const appRole: AppRole = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', 'infra', 'appRole.json'), 'utf8'),
);

/** The identity the app runs as in the test stack (the emulator's user-assigned identity). */
export const APP_IDENTITY = DEFAULT_USER_ASSIGNED_IDENTITIES[0]!;

/** The role definition's id in the emulator: fixed, so a test can rewrite the role through ARM. */
export const APP_ROLE_ID = '5a2d0b0e-7c1e-4c55-9b8e-3d1f6a0c4e01';

/** The role as the emulator seeds it, with `actions` (default: all of the app's). */
export function appRoleSeed(actions: readonly string[] = appRole.actions): CustomRoleSeed {
  return {
    id: APP_ROLE_ID,
    roleName: appRole.roleName,
    description: appRole.description,
    permissions: [{ actions: [...actions] }],
  };
}

/**
 * Who holds what in the test stack's ARM: the app's identity the app's role only; the system
 * identity, which tests use to set things up behind the app's back, Owner.
 */
export function stackRoleAssignments(): RoleAssignmentSeed[] {
  return [
    { principalId: SYSTEM_IDENTITY.principalId, role: 'Owner' },
    { principalId: APP_IDENTITY.principalId, role: appRole.roleName },
  ];
}
