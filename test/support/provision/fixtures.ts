/**
 * Fixture factories for the provisioning tests: a policy, callers, request bodies and an SSH key.
 * Each takes overrides so a test states only what it is about.
 */

import type { ProvisioningPolicy } from '../../../services/provisioning/ProvisioningPolicy.js';
import { APP_ROLES, type Caller } from '../../../shared/auth/Caller.js';

export const TEST_SUBSCRIPTION = '00000000-0000-0000-0000-000000000001';
export const TEST_APP_NAME = 'sandbox-automation';
/** A syntactically valid OpenSSH ed25519 public key (not anyone's). */
export const TEST_SSH_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK0wmN/Cr3JXqmLW7u+g9pTh+wyqDHpSQEIQczXkVx9q test@sandbox';

export function policyFactory(overrides: Partial<ProvisioningPolicy> = {}): ProvisioningPolicy {
  return {
    allowedLocations: ['eastus', 'westeurope'],
    allowedVmSizes: ['Standard_B1s', 'Standard_B2s'],
    allowedVmImages: ['Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest'],
    defaultTtlHours: 24,
    maxTtlHours: 168,
    maxSandboxesPerOwner: 3,
    ...overrides,
  };
}

export function callerFactory(overrides: Partial<Caller> = {}): Caller {
  return {
    name: 'ana@contoso.com',
    id: 'oid-ana',
    roles: [APP_ROLES.user],
    kind: 'user',
    via: 'token',
    ...overrides,
  };
}

/** An admin: the holder of `Sandbox.Admin`. */
export function adminFactory(overrides: Partial<Caller> = {}): Caller {
  return callerFactory({
    name: 'ops@contoso.com',
    id: 'oid-ops',
    roles: [APP_ROLES.admin],
    ...overrides,
  });
}

export function sandboxBodyFactory(
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return { name: 'ana-sandbox-1', location: 'westeurope', blueprint: 'empty', ...overrides };
}
