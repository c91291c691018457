import { describe, expect, it } from 'vitest';
import { azureEvents } from '../../../functions/azureEvents.js';
import { queueHandler } from '../../../shared/functions/queueFunction.js';
import { queueNames } from '../../../shared/queues/queueNames.js';
import {
  groupUri,
  resourceEvent,
  userClaims,
} from '../../support/azureEvents/azureEventFactory.js';
import { FAKE_SUBSCRIPTION, fakePlatform } from '../../support/fakes/fakePlatform.js';
import { armError } from '../../support/fakes/InMemoryResourceGroups.js';
import { invocationContextFactory } from '../../support/provision/httpRequestFactory.js';

/** A person's new group in the platform's ARM, and the event ARM raised about it. */
function newGroup(platform: ReturnType<typeof fakePlatform>) {
  platform.groups.seed({
    name: 'rg-ana',
    tags: { team: 'data' },
    createdTime: platform.clock.now().toISOString(),
  });
  return resourceEvent({
    resourceUri: groupUri('rg-ana', FAKE_SUBSCRIPTION),
    claims: userClaims('ana@contoso.com', 'oid-ana'),
    eventTime: platform.clock.now().toISOString(),
  });
}

describe('azureEvents', () => {
  it('listens on azure-events', () => {
    // Act & Assess
    expect(azureEvents.queueName).toBe('azure-events');
  });

  it("tags a new group with its creator, through the platform's ports", async () => {
    // Prepare
    const platform = fakePlatform();
    const event = newGroup(platform);

    // Act
    await queueHandler(azureEvents, async () => platform)(
      event,
      invocationContextFactory({ dequeueCount: 1 }),
    );

    // Assess
    expect(platform.groups.peek(FAKE_SUBSCRIPTION, 'rg-ana')?.tags).toEqual({
      team: 'data',
      'created-by': 'ana@contoso.com',
      'created-at': platform.clock.now().toISOString(),
    });
  });

  it('completes a message that is no event, and keeps it in azure-events-poison with the reason', async () => {
    // Prepare
    const platform = fakePlatform();

    // Act
    const act = queueHandler(azureEvents, async () => platform)(
      'not json',
      invocationContextFactory({ dequeueCount: 1 }),
    );

    // Assess
    await expect(act).resolves.toBeUndefined();
    expect(platform.queue(queueNames.azureEventsPoison).peek()).toEqual([
      {
        reason: 'Not an Azure Resource Manager event: expected a JSON object, got text',
        poisonedAt: platform.clock.now().toISOString(),
        message: 'not json',
      },
    ]);
  });

  it('throws a transient failure back to the queue', async () => {
    // Prepare
    const platform = fakePlatform();
    const event = newGroup(platform);
    platform.groups.failNext('get', armError(429, 'TooManyRequests', 'slow down'), 10);

    // Act
    const act = queueHandler(azureEvents, async () => platform)(
      event,
      invocationContextFactory({ dequeueCount: 1 }),
    );

    // Assess
    await expect(act).rejects.toMatchObject({ code: 'TooManyRequests' });
  });
});
