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
export type { FaultSettings, FaultSettingsInput } from './FaultInjector.js';
export type { RequestLogEntry, RequestStats } from './RequestLog.js';
export type { SeedPayload } from './seedState.js';
export { type RunningEmulator, startEmulator } from './server.js';
