import { classifyError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logging/logger.js';
import type { Platform } from '../../shared/platform/Platform.js';
import { queueNames } from '../../shared/queues/queueNames.js';
import type { WorkQueue } from '../../shared/queues/WorkQueue.js';
import { retryPolicies, withRetry } from '../../shared/retry.js';
import type { AppEvent } from './AppEvent.js';
import type { NotificationMessage } from './NotificationMessage.js';

/** How a feature emits events. */
export interface EventPublisher {
  /**
   * Puts the event on the `notifications` queue. Never throws and never waits long: notifying
   * people must not block or fail the work that emitted the event. A send that still fails after
   * a few quick tries is logged with the event's id and dropped.
   */
  publish(event: AppEvent): Promise<void>;
}

/**
 * The publisher over the `notifications` queue.
 *
 * @example
 * await publisher.publish(sandboxDeleted({ … }));
 */
export function queueEventPublisher(
  queue: WorkQueue<NotificationMessage>,
  logger: Logger,
  clock?: Platform['clock'],
): EventPublisher {
  return {
    async publish(event) {
      try {
        await withRetry(() => queue.send({ kind: 'event', event }), {
          ...retryPolicies.enqueue,
          ...(clock ? { clock } : {}),
        });
        logger.info('event emitted', { eventType: event.type, eventId: event.id });
      } catch (error) {
        logger.error('event could not be queued; it is dropped', {
          eventType: event.type,
          eventId: event.id,
          code: classifyError(error).code,
        });
      }
    },
  };
}

/**
 * The publisher over the platform's `notifications` queue, with the invocation's logger.
 *
 * @example
 * const events = eventPublisher(await processPlatform(), logger);
 */
export function eventPublisher(platform: Platform, logger: Logger): EventPublisher {
  return queueEventPublisher(
    platform.queue<NotificationMessage>(queueNames.notifications),
    logger,
    platform.clock,
  );
}
