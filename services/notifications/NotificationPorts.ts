import type { Clock } from '../../shared/clock.js';
import type { NotifyConfig } from '../../shared/config.js';
import type { Logger } from '../../shared/logging/logger.js';
import type { Platform } from '../../shared/platform/Platform.js';
import { queueNames } from '../../shared/queues/queueNames.js';
import type { WorkQueue } from '../../shared/queues/WorkQueue.js';
import type { RecordStore } from '../../shared/records/RecordStore.js';
import type { TableStore } from '../../shared/tables/TableStore.js';
import { tableNames } from '../../shared/tables/tableNames.js';
import type { WebhookSender } from '../../shared/webhooks/WebhookSender.js';
import type { DeliveryMessage } from './NotificationMessage.js';

/** Everything the notification workers touch. */
export interface NotificationPorts {
  records: RecordStore;
  /** `notificationdeliveries`: which receivers each event was delivered to. */
  delivered: TableStore;
  /** `notification-deliveries`: one message per event and receiver. */
  deliveries: WorkQueue<DeliveryMessage>;
  /** `notification-deliveries-poison`: deliveries given up, each with its reason. */
  poison: WorkQueue<DeliveryMessage & { reason: string; poisonedAt: string }>;
  webhooks: WebhookSender;
  clock: Clock;
  logger: Logger;
  settings: NotifyConfig;
  /** The CloudEvents `source` of every event. */
  source: string;
}

/**
 * The notification ports over the platform, with the invocation's logger.
 *
 * @example
 * const ports = notificationPorts(await processPlatform(), logger);
 */
export function notificationPorts(platform: Platform, logger: Logger): NotificationPorts {
  return {
    records: platform.records,
    delivered: platform.table(tableNames.notificationDeliveries),
    deliveries: platform.queue<DeliveryMessage>(queueNames.notificationDeliveries),
    poison: platform.queue(queueNames.notificationDeliveriesPoison),
    webhooks: platform.webhooks,
    clock: platform.clock,
    logger,
    settings: platform.config.notify,
    source: `urn:sandbox-automation:${platform.config.appName}`,
  };
}
