import type { ResourceGroups } from '../../shared/arm/ResourceGroups.js';
import type { Clock } from '../../shared/clock.js';
import type { CleanupConfig } from '../../shared/config.js';
import type { Logger } from '../../shared/logging/logger.js';
import type { Platform } from '../../shared/platform/Platform.js';
import { queueNames } from '../../shared/queues/queueNames.js';
import type { WorkQueue } from '../../shared/queues/WorkQueue.js';
import type { RecordStore } from '../../shared/records/RecordStore.js';
import type { TableStore } from '../../shared/tables/TableStore.js';
import { tableNames } from '../../shared/tables/tableNames.js';
import { type EventPublisher, eventPublisher } from '../notifications/EventPublisher.js';
import type { CleanupMessage } from './CleanupMessage.js';
import type { CleanupPolicy } from './CleanupPolicy.js';
import { cleanupPolicyFromConfig } from './cleanupPolicyFromConfig.js';

/** Everything the cleanup services touch, passed in: real adapters in the app, fakes in tests. */
export interface CleanupPorts {
  groups: ResourceGroups;
  records: RecordStore;
  /** `cleanupitems`: a partition per applied run, a row per item (see `CleanupItemRecord`). */
  items: TableStore;
  /** `cleanup-requests`: plan messages and one message per applied item. */
  requests: WorkQueue<CleanupMessage>;
  /** Events for people (`sandbox.expiring`, run events), on the `notifications` queue. */
  events: EventPublisher;
  clock: Clock;
  logger: Logger;
}

/**
 * The cleanup ports over the platform, with the invocation's logger.
 *
 * @example
 * const ports = cleanupPorts(await processPlatform(), logger);
 */
export function cleanupPorts(platform: Platform, logger: Logger): CleanupPorts {
  return {
    groups: platform.groups,
    records: platform.records,
    items: platform.table(tableNames.cleanupItems),
    requests: platform.queue<CleanupMessage>(queueNames.cleanupRequests),
    events: eventPublisher(platform, logger),
    clock: platform.clock,
    logger,
  };
}

/** What a cleanup function works with: the ports, today's policy and the cleanup settings. */
export interface CleanupContext {
  ports: CleanupPorts;
  /** The policy from today's settings (a plan keeps its own copy of the one it was made with). */
  policy: CleanupPolicy;
  /** The subscriptions cleanup covers, the scheduled run's mode, and how far items queue ahead. */
  settings: Pick<CleanupConfig, 'subscriptions' | 'mode' | 'queueAhead'>;
}

/**
 * The cleanup context over the platform, with the invocation's logger.
 *
 * @example
 * const { ports, policy } = cleanupContext(await processPlatform(), logger);
 */
export function cleanupContext(platform: Platform, logger: Logger): CleanupContext {
  return {
    ports: cleanupPorts(platform, logger),
    policy: cleanupPolicyFromConfig(platform.config),
    settings: platform.config.cleanup,
  };
}
