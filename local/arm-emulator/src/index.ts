export { ArmError } from './ArmError.js';
export { groupKeyOf } from './ArmState.js';
export { ensureCertificates } from './certificates.js';
export type { EmulatorCore } from './EmulatorCore.js';
export {
  ARM_THROTTLING,
  DEFAULT_DURATIONS,
  DEFAULT_SUBSCRIPTION_ID,
  DEFAULT_USER_ASSIGNED_IDENTITIES,
  type EmulatorOptions,
  type OperationDurations,
  SYSTEM_IDENTITY,
  TENANT_ID,
  type ThrottlingLimits,
  type UserAssignedIdentity,
} from './EmulatorOptions.js';
export type { LocalEntra } from './entra/describeLocalEntra.js';
export {
  type ApiRegistrationInput,
  type AppRoleInput,
  DEFAULT_API_CLIENT_ID,
  DEFAULT_DIRECTORY,
  EntraDirectory,
  type EntraDirectoryInput,
  type EntraUser,
  type EntraUserInput,
  type ServicePrincipal,
  type ServicePrincipalInput,
} from './entra/EntraDirectory.js';
export {
  type DeliveryOutcome,
  type EventDeliverySettings,
  type EventDeliverySettingsInput,
  eventDeliverySettingsSchema,
} from './events/EventDelivery.js';
export type {
  ArmOperationContext,
  AuthorizationEvidence,
  EventGridEvent,
  ResourceEventData,
  ResourceHttpRequest,
} from './events/resourceEvent.js';
export type { StorageConnections } from './events/StorageDataPlane.js';
export type { FaultSettings, FaultSettingsInput } from './FaultInjector.js';
export {
  EVENT_SUBSCRIPTION_TYPE,
  RESOURCE_GROUPS_TOPIC_TYPE,
  SUBSCRIPTIONS_TOPIC_TYPE,
  SYSTEM_TOPIC_TYPE,
} from './providers/eventGridResources.js';
export type { RequestLogEntry, RequestStats } from './RequestLog.js';
export {
  BUILT_IN_ROLES,
  CONTRIBUTOR_ROLE_ID,
  OWNER_ROLE_ID,
  type Permission,
  READER_ROLE_ID,
  type RoleDefinition,
  STORAGE_BLOB_DATA_CONTRIBUTOR_ROLE_ID,
  STORAGE_QUEUE_DATA_MESSAGE_SENDER_ROLE_ID,
  TAG_CONTRIBUTOR_ROLE_ID,
  USER_ACCESS_ADMINISTRATOR_ROLE_ID,
} from './rbac/builtInRoles.js';
export type { PrincipalType } from './rbac/RbacState.js';
export type { CustomRoleSeed, RoleAssignmentSeed } from './rbac/resolveRbacSeeds.js';
export type { SeedPayload } from './seedState.js';
export { type RunningEmulator, startEmulator } from './server.js';
