import type { ResourceGroups } from '../../shared/arm/ResourceGroups.js';
import type { Logger } from '../../shared/logging/logger.js';
import type { WorkQueue } from '../../shared/queues/WorkQueue.js';
import type { RecordStore } from '../../shared/records/RecordStore.js';
import type { Blueprint } from './blueprints/Blueprint.js';
import type { ProvisioningPolicy } from './ProvisioningPolicy.js';
import type { ProvisionMessage } from './ProvisionMessage.js';
import type { SandboxResources } from './SandboxResources.js';

/** The settings the provisioning services read (a slice of `AppConfig`). */
export interface ProvisioningSettings {
  subscriptionId: string;
  /** The `managed-by` tag value. */
  appName: string;
  adminPrincipals: readonly string[];
  policy: ProvisioningPolicy;
}

/** The ports and settings every provisioning service takes as its first argument. */
export interface ProvisioningDeps {
  settings: ProvisioningSettings;
  records: RecordStore;
  queue: WorkQueue<ProvisionMessage>;
  groups: ResourceGroups;
  resources: SandboxResources;
  blueprints: ReadonlyMap<string, Blueprint<unknown>>;
  logger: Logger;
  now: () => Date;
  newId: () => string;
  /** A random secret for resources that need one (never stored). */
  secret: () => string;
  /** Delay between in-process retries; tests pass an instant one. */
  delay?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
}
