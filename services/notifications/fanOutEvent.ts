import { recordKeys } from '../../shared/records/recordKeys.js';
import type { WebhookTarget } from '../../shared/webhooks/webhookTarget.js';
import type { DeliveryMessage } from './NotificationMessage.js';
import { parseEventMessage } from './NotificationMessage.js';
import type { NotificationPorts } from './NotificationPorts.js';
import type { OwnerWebhook } from './OwnerWebhook.js';

/**
 * The `notifications` worker: one delivery message per receiver of the event, each retried on
 * its own, so a receiver that is down never delays or repeats the others. Receivers are
 * `NOTIFY_WEBHOOKS` and, for a sandbox's events, the webhook its request named for its owner.
 *
 * @example
 * await fanOutEvent({ kind: 'event', event }, ports); // 2 (deliveries queued)
 */
export async function fanOutEvent(body: unknown, ports: NotificationPorts): Promise<number> {
  const { event } = parseEventMessage(body);
  const targets: WebhookTarget[] = [...ports.settings.webhooks];
  if (event.subscriptionId && /^(sandbox|vm)\./.test(event.type)) {
    const owner = await ports.records.get<OwnerWebhook>(
      recordKeys.notifications.ownerWebhook(event.subscriptionId, event.subject),
    );
    const url = owner?.value.url;
    if (url && !targets.some((t) => t.url === url)) {
      targets.push({ url, format: owner.value.format ?? 'cloudevents' });
    }
  }
  const messages: DeliveryMessage[] = targets.map((target) => ({
    kind: 'delivery',
    event,
    target,
    attempt: 1,
  }));
  await ports.deliveries.sendMany(messages);
  ports.logger.info('event fanned out', {
    eventType: event.type,
    eventId: event.id,
    receivers: messages.length,
  });
  return messages.length;
}
