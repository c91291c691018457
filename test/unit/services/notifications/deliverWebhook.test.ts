import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { deliverWebhook } from '../../../../services/notifications/deliverWebhook.js';
import { sandboxDeleted } from '../../../../services/notifications/events.js';
import type { DeliveryMessage } from '../../../../services/notifications/NotificationMessage.js';
import { notificationPorts } from '../../../../services/notifications/NotificationPorts.js';
import { AppError } from '../../../../shared/errors.js';
import { silentLogger } from '../../../../shared/logging/logger.js';
import { queueNames } from '../../../../shared/queues/queueNames.js';
import { tableNames } from '../../../../shared/tables/tableNames.js';
import { WebhookUrlRejectedError } from '../../../../shared/webhooks/checkWebhookUrl.js';
import { fakePlatform } from '../../../support/fakes/fakePlatform.js';

const secret = `whsec_${Buffer.from('a test signing secret').toString('base64')}`;

function setup(settings: Record<string, string> = {}) {
  const platform = fakePlatform({
    NOTIFY_SIGNING_SECRET: secret,
    NOTIFY_MAX_ATTEMPTS: '3',
    NOTIFY_RETRY_BASE_SECONDS: '10',
    ...settings,
  });
  const ports = notificationPorts(platform, silentLogger);
  const event = sandboxDeleted({
    sandbox: 'ana-1',
    subscriptionId: platform.config.subscriptionId,
    owner: 'ana@contoso.com',
    by: 'owner',
    operationId: 'op-1',
    time: '2026-03-01T12:00:00.000Z',
  });
  const message = (attempt = 1, format: DeliveryMessage['target']['format'] = 'cloudevents') =>
    ({
      kind: 'delivery',
      event,
      target: { url: 'https://hooks.contoso.com/in?key=s3cret', format },
      attempt,
    }) satisfies DeliveryMessage;
  return {
    platform,
    ports,
    event,
    message,
    deliveries: platform.queue<DeliveryMessage>(queueNames.notificationDeliveries),
    poison: platform.queue<DeliveryMessage & { reason: string }>(
      queueNames.notificationDeliveriesPoison,
    ),
  };
}

describe('deliverWebhook', () => {
  it('posts a CloudEvent in structured mode, signed as Standard Webhooks says', async () => {
    // Prepare
    const { platform, ports, message, event } = setup();
    // Receivers refuse a timestamp more than five minutes away from their own clock.
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    platform.clock.set(now);

    // Act
    const result = await deliverWebhook(message(), ports);

    // Assess
    const [sent] = platform.webhooks.sent;
    expect(result).toEqual({ kind: 'delivered', status: 204 });
    expect(sent?.headers).toMatchObject({
      'content-type': 'application/cloudevents+json; charset=utf-8',
      'webhook-id': event.id,
      'webhook-timestamp': String(now.getTime() / 1000),
    });
    const verified = new Webhook(secret).verify(
      sent!.body,
      sent!.headers as Record<string, string>,
    ) as Record<string, unknown>;
    expect(verified).toEqual({
      specversion: '1.0',
      id: event.id,
      source: 'urn:sandbox-automation:sandbox-automation',
      type: 'sandbox.deleted',
      subject: 'ana-1',
      time: '2026-03-01T12:00:00.000Z',
      datacontenttype: 'application/json',
      data: { sandbox: 'ana-1', owner: 'ana@contoso.com', by: 'owner', operationId: 'op-1' },
    });
  });

  it('signs exactly as the Standard Webhooks specification’s published test vector', () => {
    // The vector from the specification's reference implementations.
    const signature = new Webhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw').sign(
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      new Date(1614265330 * 1000),
      '{"test": 2432232314}',
    );
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it.each([[500], [503], [429], [408]])(
    'tries again later on %i, with exponential backoff through the queue',
    async (status) => {
      // Prepare
      const { platform, ports, message, deliveries } = setup();
      platform.webhooks.answer({ status });

      // Act
      const result = await deliverWebhook(message(2), ports);

      // Assess
      expect(result).toEqual({
        kind: 'retrying',
        attempt: 3,
        delaySeconds: 20,
        reason: `the receiver answered ${status}`,
      });
      expect(deliveries.sent).toEqual([
        { message: { ...message(3) }, visibilityTimeoutSeconds: 20 },
      ]);
    },
  );

  it('waits as long as the receiver’s Retry-After asks, when that is longer', async () => {
    const { platform, ports, message } = setup();
    platform.webhooks.answer({ status: 429, retryAfterMs: 120_000 });
    expect(await deliverWebhook(message(), ports)).toMatchObject({ delaySeconds: 120 });
  });

  it('tries again when no answer came', async () => {
    const { platform, ports, message } = setup();
    platform.webhooks.answer(
      new AppError('no answer: ECONNREFUSED', { kind: 'transient', code: 'ECONNREFUSED' }),
    );
    expect(await deliverWebhook(message(), ports)).toMatchObject({
      kind: 'retrying',
      reason: 'ECONNREFUSED: no answer: ECONNREFUSED',
    });
  });

  it('poisons the delivery with its reason once the tries are used up', async () => {
    // Prepare
    const { platform, ports, message, poison } = setup();
    platform.webhooks.answer({ status: 502 });

    // Act
    const result = await deliverWebhook(message(3), ports);

    // Assess
    const reason = 'Gave up after 3 tries; last: the receiver answered 502.';
    expect(result).toEqual({ kind: 'poisoned', reason });
    expect(poison.peek()).toEqual([
      { ...message(3), reason, poisonedAt: '2026-03-01T12:00:00.000Z' },
    ]);
  });

  it.each([
    [{ status: 404 }, 'Not retried: the receiver answered 404.'],
    [{ status: 301 }, 'Not retried: the receiver answered 301.'],
    [
      new WebhookUrlRejectedError('must use https'),
      'Not retried: WebhookUrlRejected: must use https.',
    ],
  ])('poisons at once an answer that will not change: %j', async (answer, reason) => {
    const { platform, ports, message, poison } = setup();
    platform.webhooks.answer(answer);
    expect(await deliverWebhook(message(), ports)).toEqual({ kind: 'poisoned', reason });
    expect(poison.peek()).toHaveLength(1);
  });

  it('does not post again what a previous delivery of the message already delivered', async () => {
    // Prepare
    const { platform, ports, message, event } = setup();
    await deliverWebhook(message(), ports);

    // Act
    const again = await deliverWebhook(message(), ports);

    // Assess
    expect(again).toEqual({ kind: 'already-delivered' });
    expect(platform.webhooks.sent).toHaveLength(1);
    // The receipt is a row of the event's partition, not a blob.
    const receipts = [];
    for await (const row of platform.table(tableNames.notificationDeliveries).list(event.id, '')) {
      receipts.push(row.value);
    }
    expect(receipts).toEqual([{ at: expect.any(String), status: 204, attempt: 1 }]);
    expect(platform.records.keys()).toEqual([]);
  });

  it.each([
    ['teams', 'application/vnd.microsoft.card.adaptive'],
    ['slack', 'Sandbox ana-1 deleted'],
  ] as const)('posts the %s format as JSON', async (format, expected) => {
    const { platform, ports, message } = setup();
    await deliverWebhook(message(1, format), ports);
    const [sent] = platform.webhooks.sent;
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(sent?.body).toContain(expected);
  });
});
