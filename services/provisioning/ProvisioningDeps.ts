import type { ResourceGroups } from '../../shared/arm/ResourceGroups.js';
import type { Resources } from '../../shared/arm/Resources.js';
import type { Clock } from '../../shared/clock.js';
import type { FailedSandboxConfig } from '../../shared/config.js';
import type { Logger } from '../../shared/logging/logger.js';
import type { Platform } from '../../shared/platform/Platform.js';
import { queueNames } from '../../shared/queues/queueNames.js';
import type { WorkQueue } from '../../shared/queues/WorkQueue.js';
import type { RecordStore } from '../../shared/records/RecordStore.js';
import { type EventPublisher, eventPublisher } from '../notifications/EventPublisher.js';
import type { Blueprint } from './blueprints/Blueprint.js';
import { blueprints } from './blueprints/index.js';
import type { ProvisioningPolicy } from './ProvisioningPolicy.js';
import type { ProvisionMessage } from './ProvisionMessage.js';

/** The settings the provisioning services read (a slice of `AppConfig`). */
export interface ProvisioningSettings {
  subscriptionId: string;
  /** The `managed-by` tag value. */
  appName: string;
  adminPrincipals: readonly string[];
  policy: ProvisioningPolicy;
  /** What becomes of the group a failed provisioning leaves (`applyFailedSandboxPolicy`). */
  failedSandbox: FailedSandboxConfig;
  /** `POWER_SCHEDULE_DEFAULT_<BLUEPRINT>`, by lower-case blueprint name. */
  powerDefaults: Readonly<Record<string, string>>;
  /** Whether a request's webhook may point at a private address (the local stack). */
  allowPrivateWebhooks: boolean;
}

/** The ports and settings every provisioning service takes as its first argument. */
export interface ProvisioningDeps {
  settings: ProvisioningSettings;
  records: RecordStore;
  queue: WorkQueue<ProvisionMessage>;
  groups: ResourceGroups;
  resources: Resources;
  blueprints: ReadonlyMap<string, Blueprint<unknown>>;
  /** `sandbox.*` events for people; never fails the work that emits them. */
  events: EventPublisher;
  logger: Logger;
  clock: Clock;
  newId: () => string;
  /** A random secret for resources that need one (never stored). */
  secret: () => string;
  signal?: AbortSignal;
}

/**
 * The provisioning ports over the platform, with the invocation's logger.
 *
 * @example
 * const deps = provisioningPorts(await processPlatform(), logger);
 */
export function provisioningPorts(platform: Platform, logger: Logger): ProvisioningDeps {
  const { config } = platform;
  return {
    settings: {
      subscriptionId: config.subscriptionId,
      appName: config.appName,
      adminPrincipals: config.adminPrincipals,
      policy: config.policy,
      failedSandbox: config.failedSandbox,
      powerDefaults: config.power.blueprintDefaults,
      allowPrivateWebhooks: config.notify.allowPrivateNetworks,
    },
    records: platform.records,
    queue: platform.queue<ProvisionMessage>(queueNames.provisionRequests),
    groups: platform.groups,
    resources: platform.resources,
    blueprints,
    events: eventPublisher(platform, logger),
    logger,
    clock: platform.clock,
    newId: platform.newId,
    secret: platform.secret,
  };
}
