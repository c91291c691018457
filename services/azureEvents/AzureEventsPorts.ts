import type { ResourceGroups } from '../../shared/arm/ResourceGroups.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logging/logger.js';
import type { Platform } from '../../shared/platform/Platform.js';
import { queueNames } from '../../shared/queues/queueNames.js';
import type { WorkQueue } from '../../shared/queues/WorkQueue.js';
import type { RecordStore } from '../../shared/records/RecordStore.js';
import { type EventPublisher, eventPublisher } from '../notifications/EventPublisher.js';
import type { AzureEventsSettings } from './AzureEventsSettings.js';

/** A message of `azure-events` that is no event, as `azure-events-poison` keeps it. */
export interface PoisonedAzureEvent {
  reason: string;
  poisonedAt: string;
  /** The message as it came (text, cut to 16 KiB when longer). */
  message: unknown;
}

/** Everything the `azureEvents` function touches, passed in: real adapters, or fakes in tests. */
export interface AzureEventsPorts {
  settings: AzureEventsSettings;
  groups: ResourceGroups;
  records: RecordStore;
  /** `azure-events-poison`. */
  poison: WorkQueue<PoisonedAzureEvent>;
  /** `sandbox.adopted` and `sandbox.deleted` for people; never fails the work that emits them. */
  events: EventPublisher;
  clock: Clock;
  logger: Logger;
}

/**
 * The `azureEvents` ports over the platform, with the invocation's logger.
 *
 * @example
 * const ports = azureEventsPorts(await processPlatform(), logger);
 */
export function azureEventsPorts(platform: Platform, logger: Logger): AzureEventsPorts {
  const { config } = platform;
  return {
    settings: {
      appName: config.appName,
      self: {
        ...(config.clientId ? { clientId: config.clientId } : {}),
        ...(config.azureEvents.appPrincipalId
          ? { principalId: config.azureEvents.appPrincipalId }
          : {}),
      },
      adoption: config.azureEvents.adoption,
      protectedPatterns: config.cleanup.protectedPatterns,
    },
    groups: platform.groups,
    records: platform.records,
    poison: platform.queue<PoisonedAzureEvent>(queueNames.azureEventsPoison),
    events: eventPublisher(platform, logger),
    clock: platform.clock,
    logger,
  };
}
