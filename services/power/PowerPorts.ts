import type { ResourceGroups } from '../../shared/arm/ResourceGroups.js';
import type { VirtualMachines } from '../../shared/arm/VirtualMachines.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logging/logger.js';
import type { Platform } from '../../shared/platform/Platform.js';
import { queueNames } from '../../shared/queues/queueNames.js';
import type { WorkQueue } from '../../shared/queues/WorkQueue.js';
import type { RecordStore } from '../../shared/records/RecordStore.js';
import { type EventPublisher, eventPublisher } from '../notifications/EventPublisher.js';
import type { PowerMessage } from './PowerMessage.js';

/** Everything the power services touch, passed in: real adapters in the app, fakes in tests. */
export interface PowerPorts {
  groups: ResourceGroups;
  vms: VirtualMachines;
  records: RecordStore;
  /** `power-requests`: plan messages and one message per VM. */
  requests: WorkQueue<PowerMessage>;
  events: EventPublisher;
  clock: Clock;
  logger: Logger;
  /** The `managed-by` value: only sandboxes' VMs are governed. */
  appName: string;
  subscriptions: readonly string[];
}

/**
 * The power ports over the platform, with the invocation's logger.
 *
 * @example
 * const ports = powerPorts(await processPlatform(), logger);
 */
export function powerPorts(platform: Platform, logger: Logger): PowerPorts {
  return {
    groups: platform.groups,
    vms: platform.vms,
    records: platform.records,
    requests: platform.queue<PowerMessage>(queueNames.powerRequests),
    events: eventPublisher(platform, logger),
    clock: platform.clock,
    logger,
    appName: platform.config.appName,
    subscriptions: platform.config.power.subscriptions,
  };
}
