import { describe, expect, it } from 'vitest';
import type { AppEvent } from '../../../../services/notifications/AppEvent.js';
import type { NotificationMessage } from '../../../../services/notifications/NotificationMessage.js';
import { extendSandbox } from '../../../../services/provisioning/extendSandbox.js';
import { processOperationMessage } from '../../../../services/provisioning/processOperationMessage.js';
import { requestSandbox } from '../../../../services/provisioning/requestSandbox.js';
import { requestTeardown } from '../../../../services/provisioning/requestTeardown.js';
import { ApiError } from '../../../../shared/apiErrors.js';
import { queueNames } from '../../../../shared/queues/queueNames.js';
import { recordKeys } from '../../../../shared/records/recordKeys.js';
import {
  callerFactory,
  sandboxBodyFactory,
  TEST_SUBSCRIPTION,
} from '../../../support/provision/fixtures.js';
import { provisioningDepsFactory } from '../../../support/provision/provisioningDepsFactory.js';

function eventsOf(t: ReturnType<typeof provisioningDepsFactory>): AppEvent[] {
  return t.platform
    .queue<NotificationMessage>(queueNames.notifications)
    .sent.map((s) => s.message.event);
}

async function provision(
  t: ReturnType<typeof provisioningDepsFactory>,
  body: Record<string, unknown>,
) {
  const { operation } = await requestSandbox(t.deps, {
    body: sandboxBodyFactory(body),
    caller: callerFactory(),
  });
  await processOperationMessage(t.deps, t.queue.take());
  return operation;
}

describe('a sandbox’s power schedule', () => {
  it('is written as the sandbox-power-schedule tag when the request names one', async () => {
    // Prepare
    const t = provisioningDepsFactory();

    // Act
    await provision(t, {
      name: 'ana-1',
      powerSchedule: 'off=(M-F,19);on=(M-F,7);tz=Europe/Berlin',
    });

    // Assess
    expect(t.groups.peek(TEST_SUBSCRIPTION, 'ana-1')?.tags['sandbox-power-schedule']).toBe(
      'off=(M-F,19);on=(M-F,7);tz=Europe/Berlin',
    );
  });

  it('comes from the blueprint’s default when the request names none', async () => {
    // Prepare
    const t = provisioningDepsFactory();
    t.deps.settings.powerDefaults = { empty: 'off=(M-U,22);tz=UTC' };

    // Act
    await provision(t, { name: 'ana-2' });

    // Assess
    expect(t.groups.peek(TEST_SUBSCRIPTION, 'ana-2')?.tags['sandbox-power-schedule']).toBe(
      'off=(M-U,22);tz=UTC',
    );
  });

  it.each([
    [
      { powerSchedule: 'off=(Q,19)' },
      'powerSchedule',
      "unknown day 'q' in (q,19); days are M T W H F S U",
    ],
    [{ webhook: 'http://hooks.contoso.com/x' }, 'webhook', 'must use https'],
    [
      { webhook: 'https://169.254.169.254/latest' },
      'webhook',
      'points at a private, loopback or link-local address, which NOTIFY_ALLOW_PRIVATE_NETWORKS does not allow',
    ],
  ])('refuses %j with a 400 naming %s', async (field, rule, message) => {
    // Prepare
    const t = provisioningDepsFactory();

    // Act
    const error = await requestSandbox(t.deps, {
      body: sandboxBodyFactory({ name: 'ana-3', ...field }),
      caller: callerFactory(),
    }).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, violations: [{ rule, message }] });
  });

  it('keeps the owner’s webhook out of the tags, in a record of its own', async () => {
    // Prepare
    const t = provisioningDepsFactory();

    // Act
    const operation = await provision(t, {
      name: 'ana-4',
      webhook: 'https://hooks.slack.com/services/T/B/x',
    });

    // Assess
    expect(JSON.stringify(t.groups.peek(TEST_SUBSCRIPTION, 'ana-4')?.tags)).not.toContain(
      'hooks.slack.com',
    );
    expect(
      (await t.records.get(recordKeys.notifications.ownerWebhook(TEST_SUBSCRIPTION, 'ana-4')))
        ?.value,
    ).toEqual({
      operationId: operation.id,
      url: 'https://hooks.slack.com/services/T/B/x',
      format: 'slack',
    });
  });
});

describe('sandbox events', () => {
  it('emits sandbox.provisioned, sandbox.extended and sandbox.deleted, each with a stable id', async () => {
    // Prepare
    const t = provisioningDepsFactory();
    const operation = await provision(t, { name: 'ana-5' });

    // Act
    await extendSandbox(t.deps, { name: 'ana-5', caller: callerFactory(), body: { ttlHours: 10 } });
    const teardown = await requestTeardown(t.deps, { name: 'ana-5', caller: callerFactory() });
    await processOperationMessage(t.deps, t.queue.take());
    await processOperationMessage(t.deps, { operationId: operation.id, kind: 'provision' });

    // Assess
    const events = eventsOf(t);
    expect(events.map((e) => [e.type, e.subject])).toEqual([
      ['sandbox.provisioned', 'ana-5'],
      ['sandbox.extended', 'ana-5'],
      ['sandbox.deleted', 'ana-5'],
    ]);
    expect(events[2]?.data).toMatchObject({ by: 'owner', operationId: teardown.id });
  });

  it('emits sandbox.provisioning-failed with ARM’s reason', async () => {
    // Prepare
    const t = provisioningDepsFactory();
    t.groups.failNext(
      'createOrUpdate',
      Object.assign(new Error('The location is not allowed.'), {
        statusCode: 409,
        code: 'InvalidResourceGroupLocation',
      }),
    );

    // Act
    await provision(t, { name: 'ana-6' });

    // Assess
    expect(eventsOf(t)).toEqual([
      expect.objectContaining({
        type: 'sandbox.provisioning-failed',
        subject: 'ana-6',
        data: expect.objectContaining({
          error: { code: 'InvalidResourceGroupLocation', message: 'The location is not allowed.' },
          partialGroup: { name: 'ana-6', action: 'none' },
        }),
      }),
    ]);
  });
});
