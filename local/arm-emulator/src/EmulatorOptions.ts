import type { EntraDirectoryInput } from './entra/EntraDirectory.js';
import type { EventDeliverySettingsInput } from './events/EventDelivery.js';
import type { StorageConnections } from './events/StorageDataPlane.js';
import type { FaultSettingsInput } from './FaultInjector.js';
import type { CustomRoleSeed, RoleAssignmentSeed } from './rbac/resolveRbacSeeds.js';

/** How long each kind of operation takes at time scale 1, in milliseconds. */
export interface OperationDurations {
  resourceGroupDelete: number;
  resourceCreate: number;
  resourceDelete: number;
  vmCreate: number;
  vmDelete: number;
  vmStart: number;
  vmPowerOff: number;
  vmDeallocate: number;
  vmRestart: number;
}

export const DEFAULT_DURATIONS: OperationDurations = {
  resourceGroupDelete: 20_000,
  resourceCreate: 8_000,
  resourceDelete: 6_000,
  vmCreate: 45_000,
  vmDelete: 30_000,
  vmStart: 20_000,
  vmPowerOff: 15_000,
  vmDeallocate: 30_000,
  vmRestart: 25_000,
};

export interface BucketLimit {
  capacity: number;
  refillPerSecond: number;
}

/** Per-subscription token buckets, as ARM applies them. */
export interface ThrottlingLimits {
  reads: BucketLimit;
  writes: BucketLimit;
  deletes: BucketLimit;
}

export const ARM_THROTTLING: ThrottlingLimits = {
  reads: { capacity: 250, refillPerSecond: 25 },
  writes: { capacity: 200, refillPerSecond: 10 },
  deletes: { capacity: 200, refillPerSecond: 10 },
};

export interface UserAssignedIdentity {
  clientId: string;
  principalId: string;
  name: string;
}

export interface EmulatorOptions {
  /** HTTPS port for ARM and the control API; 0 (default) picks a free one. */
  port?: number;
  /** HTTP port for the managed identity endpoint; 0 (default) picks a free one. */
  identityPort?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Subscription ids; the first is the default. */
  subscriptions?: string[];
  /** Persist state to this JSON file and load it at start. */
  stateFile?: string;
  /** Where the CA and server certificate live; default `.local/certs` under the working directory. */
  certDir?: string;
  /** Multiplies every operation duration: 0.001 makes a 45 s VM create take 45 ms. */
  timeScale?: number;
  durations?: Partial<OperationDurations>;
  /** Token-bucket limits, partial overrides of ARM's, or `false` to switch throttling off. */
  throttling?: false | Partial<ThrottlingLimits>;
  faults?: FaultSettingsInput;
  /** Lifetime of issued access tokens; default 24 h (like App Service's managed identity). */
  tokenLifetimeSeconds?: number;
  /** User-assigned identities selectable with `client_id`; a default one exists when omitted. */
  userAssignedIdentities?: UserAssignedIdentity[];
  /** Requests kept in the request log; default 10,000. */
  requestLogSize?: number;
  /** The IDENTITY_HEADER secret; random by default (kept in the state file across restarts). */
  identityHeader?: string;
  /** HTTPS port of the local Entra ID (token service); 0 (default) picks a free one. */
  entraPort?: number;
  /** The local tenant: the API's app registration, test users, service principals. */
  entra?: EntraDirectoryInput;
  /** Custom roles that exist from the start, in ARM's role definition shape. */
  roleDefinitions?: CustomRoleSeed[];
  /**
   * Role assignments that exist from the start, instead of the default: the system identity and
   * the configured user-assigned identities are Owner of every subscription.
   */
  roleAssignments?: RoleAssignmentSeed[];
  /**
   * Where the storage accounts ARM knows keep their data: account name (or `*` for any) to a
   * connection string of a local storage service such as Azurite. Event Grid writes its
   * deliveries there.
   */
  storageConnections?: StorageConnections;
  /** Duplicated and reordered event deliveries, seeded (see the control API's event-delivery). */
  eventDelivery?: EventDeliverySettingsInput;
}

export const DEFAULT_SUBSCRIPTION_ID = '00000000-0000-4000-8000-00000000a001';
export const TENANT_ID = '00000000-0000-4000-8000-0000000e0001';
export const SYSTEM_IDENTITY = {
  clientId: '00000000-0000-4000-8000-0000000c0001',
  principalId: '00000000-0000-4000-8000-0000000b0001',
};
export const DEFAULT_USER_ASSIGNED_IDENTITIES: UserAssignedIdentity[] = [
  {
    clientId: '00000000-0000-4000-8000-0000000c0002',
    principalId: '00000000-0000-4000-8000-0000000b0002',
    name: 'sandbox-operator',
  },
];
