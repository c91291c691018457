import { createHash } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { classifyError, RecordConflictError } from '../../shared/errors.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import { type DeliveryMessage, parseDeliveryMessage } from './NotificationMessage.js';
import type { NotificationPorts } from './NotificationPorts.js';
import { renderWebhook } from './renderWebhook.js';

/** What became of one try. */
export type DeliveryResult =
  | { kind: 'delivered'; status: number }
  | { kind: 'already-delivered' }
  | { kind: 'retrying'; attempt: number; delaySeconds: number; reason: string }
  | { kind: 'poisoned'; reason: string };

/** The longest wait between two tries, and the most a receiver's `Retry-After` is honoured. */
const MAX_DELAY_SECONDS = 3_600;

/**
 * The `notification-deliveries` worker: sends one event to one receiver, signed as Standard
 * Webhooks says (`webhook-id` is the event's stable id, the same on every try). A 5xx, 408, 429
 * or no answer is tried again later, with exponential backoff (or the receiver's `Retry-After`)
 * through the queue's visibility delay, up to `NOTIFY_MAX_ATTEMPTS` tries; then, or at once for
 * an answer that will not change (another 4xx, a redirect, a URL the SSRF rules refuse), the
 * delivery goes to `notification-deliveries-poison` with its reason. It never throws for the
 * receiver's failures, so the host's own retries are left for crashes.
 *
 * @example
 * await deliverWebhook(message, ports); // { kind: 'delivered', status: 204 }
 */
export async function deliverWebhook(
  body: unknown,
  ports: NotificationPorts,
): Promise<DeliveryResult> {
  const message = parseDeliveryMessage(body);
  const { event, target } = message;
  const targetKey = createHash('sha256').update(target.url).digest('hex').slice(0, 16);
  const log = ports.logger.child({
    eventId: event.id,
    eventType: event.type,
    // The host only: a webhook's path and query are often its secret.
    receiver: new URL(target.url).host,
    attempt: message.attempt,
  });
  const deliveredRow = recordKeys.notifications.delivered(targetKey);
  if (await ports.delivered.get(event.id, deliveredRow)) {
    log.info('already delivered; not sent again');
    return { kind: 'already-delivered' };
  }

  const now = ports.clock.now();
  let signed: { body: string; headers: Record<string, string> };
  try {
    signed = await signedRequest(message, now, ports);
  } catch (error) {
    // Rendering or signing gives the same answer every time: poison at once, with the reason.
    const reason = `Not retried: the event could not be prepared: ${classifyError(error).message}.`;
    await poison(message, reason, targetKey, ports);
    log.error('webhook delivery poisoned', { reason });
    return { kind: 'poisoned', reason };
  }
  const { body: payload, headers } = signed;

  let failure: { reason: string; retry: boolean; retryAfterMs?: number };
  try {
    const response = await ports.webhooks.post({ url: target.url, headers, body: payload });
    if (response.status >= 200 && response.status < 300) {
      await ports.delivered
        .transact(event.id, [
          {
            kind: 'create',
            rowKey: deliveredRow,
            value: { at: now.toISOString(), status: response.status, attempt: message.attempt },
          },
        ])
        .catch((error: unknown) => {
          if (!(error instanceof RecordConflictError)) throw error;
        });
      log.info('webhook delivered', { status: response.status });
      return { kind: 'delivered', status: response.status };
    }
    const retry = response.status >= 500 || response.status === 408 || response.status === 429;
    failure = {
      reason: `the receiver answered ${response.status}`,
      retry,
      ...(response.retryAfterMs === undefined ? {} : { retryAfterMs: response.retryAfterMs }),
    };
  } catch (error) {
    const c = classifyError(error);
    failure = { reason: `${c.code}: ${c.message}`, retry: c.kind === 'transient' };
  }

  if (failure.retry && message.attempt < ports.settings.maxAttempts) {
    const backoff = ports.settings.retryBaseSeconds * 2 ** (message.attempt - 1);
    const asked = failure.retryAfterMs === undefined ? 0 : Math.ceil(failure.retryAfterMs / 1000);
    const delaySeconds = Math.min(MAX_DELAY_SECONDS, Math.max(backoff, asked));
    await ports.deliveries.send(
      { ...message, attempt: message.attempt + 1 },
      { visibilityTimeoutSeconds: delaySeconds },
    );
    log.warn('webhook not delivered; it will be tried again', {
      reason: failure.reason,
      delaySeconds,
    });
    return { kind: 'retrying', attempt: message.attempt + 1, delaySeconds, reason: failure.reason };
  }
  const reason = failure.retry
    ? `Gave up after ${message.attempt} tries; last: ${failure.reason}.`
    : `Not retried: ${failure.reason}.`;
  await poison(message, reason, targetKey, ports);
  log.error('webhook delivery poisoned', { reason });
  return { kind: 'poisoned', reason };
}

/** The body in the receiver's format and the Standard Webhooks headers that sign it. */
async function signedRequest(
  message: DeliveryMessage,
  now: Date,
  ports: NotificationPorts,
): Promise<{ body: string; headers: Record<string, string> }> {
  const { event, target } = message;
  const rendered = await renderWebhook(event, target.format, ports.source);
  const headers: Record<string, string> = {
    'content-type': rendered.contentType,
    'user-agent': 'sandbox-automation-webhooks',
    'webhook-id': event.id,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
  };
  if (ports.settings.signingSecret) {
    headers['webhook-signature'] = new Webhook(ports.settings.signingSecret).sign(
      event.id,
      now,
      rendered.body,
    );
  }
  return { body: rendered.body, headers };
}

async function poison(
  message: DeliveryMessage,
  reason: string,
  targetKey: string,
  ports: NotificationPorts,
): Promise<void> {
  const poisonedAt = ports.clock.now().toISOString();
  await ports.records.put(recordKeys.notifications.poisoned(message.event.id, targetKey), {
    eventId: message.event.id,
    eventType: message.event.type,
    receiver: new URL(message.target.url).host,
    attempts: message.attempt,
    reason,
    poisonedAt,
  });
  await ports.poison.send({ ...message, reason, poisonedAt });
}
