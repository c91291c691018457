import { describe, expect, it } from 'vitest';
import { sandboxDeleted } from '../../../../services/notifications/events.js';
import { fanOutEvent } from '../../../../services/notifications/fanOutEvent.js';
import type { DeliveryMessage } from '../../../../services/notifications/NotificationMessage.js';
import { notificationPorts } from '../../../../services/notifications/NotificationPorts.js';
import { silentLogger } from '../../../../shared/logging/logger.js';
import { queueNames } from '../../../../shared/queues/queueNames.js';
import { recordKeys } from '../../../../shared/records/recordKeys.js';
import { fakePlatform } from '../../../support/fakes/fakePlatform.js';

describe('fanOutEvent', () => {
  it('queues one delivery per NOTIFY_WEBHOOKS receiver and one for the sandbox owner’s webhook', async () => {
    // Prepare
    const platform = fakePlatform({
      NOTIFY_WEBHOOKS: 'https://events.contoso.com/in,slack:https://chat.contoso.com/x',
      NOTIFY_SIGNING_SECRET: `whsec_${Buffer.from('a test signing secret').toString('base64')}`,
    });
    const sub = platform.config.subscriptionId;
    await platform.records.put(recordKeys.notifications.ownerWebhook(sub, 'ana-1'), {
      operationId: 'op-1',
      url: 'https://teams.contoso.com/hook',
      format: 'teams',
    });
    const event = sandboxDeleted({
      sandbox: 'ana-1',
      subscriptionId: sub,
      by: 'owner',
      operationId: 'op-1',
      time: '2026-03-01T12:00:00Z',
    });

    // Act
    const count = await fanOutEvent(
      { kind: 'event', event },
      notificationPorts(platform, silentLogger),
    );

    // Assess
    expect(count).toBe(3);
    expect(
      platform
        .queue<DeliveryMessage>(queueNames.notificationDeliveries)
        .peek()
        .map((m) => [m.target, m.attempt]),
    ).toEqual([
      [{ url: 'https://events.contoso.com/in', format: 'cloudevents' }, 1],
      [{ url: 'https://chat.contoso.com/x', format: 'slack' }, 1],
      [{ url: 'https://teams.contoso.com/hook', format: 'teams' }, 1],
    ]);
  });

  it('refuses a message that is not an event, for good', async () => {
    const platform = fakePlatform();
    await expect(
      fanOutEvent({ kind: 'event' }, notificationPorts(platform, silentLogger)),
    ).rejects.toThrow(
      'Invalid notification message: event: Invalid input: expected object, received undefined',
    );
  });
});
