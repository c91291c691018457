import type { AzureEventsConfig } from '../../shared/config.js';
import type { OwnIdentity } from './principalOfClaims.js';

/** The settings the `azureEvents` services read (a slice of `AppConfig`). */
export interface AzureEventsSettings {
  /** The `managed-by` value of the app's sandboxes. */
  appName: string;
  /** The app's own identity, whose writes are not acted on. */
  self: OwnIdentity;
  adoption: AzureEventsConfig['adoption'];
  /** Group names never adopted (cleanup's protected patterns). */
  protectedPatterns: readonly string[];
}
