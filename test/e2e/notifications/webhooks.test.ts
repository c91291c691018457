import { QueueServiceClient } from '@azure/storage-queue';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../shared/queues/StorageWorkQueue.js';
import { callApi, waitForOperation } from '../../support/provision/e2eClient.js';
import { type Stack, startStack } from '../../support/stack.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

/** Requests an `empty` sandbox whose owner's webhook is the sink at `path`; waits for it. */
async function sandboxWithWebhook(name: string, path: string): Promise<void> {
  const accepted = await callApi(stack, '/api/sandboxes', {
    body: {
      name,
      owner: `${name}@contoso.com`,
      location: 'westeurope',
      blueprint: 'empty',
      webhook: `${stack.sink.url}${path}`,
    },
  });
  expect(accepted.status).toBe(202);
  expect((await waitForOperation(stack, accepted.json.operationId)).status).toBe('succeeded');
}

/** The requests the sink got on `path`, once `done` says they are all there. */
async function requestsOn(
  path: string,
  done: (requests: ReturnType<Stack['sink']['requests']>) => boolean,
  timeoutMs = 40_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const requests = stack.sink.requests().filter((r) => r.path === path);
    if (done(requests)) return requests;
    if (Date.now() > deadline) {
      throw new Error(`the sink got ${JSON.stringify(requests.map((r) => r.status))} on ${path}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('webhooks, end to end', () => {
  it('delivers a CloudEvent to the sink that verifies with the Standard Webhooks algorithm', async () => {
    // Act
    await sandboxWithWebhook('e2e-hook-verify', '/verify');
    const [request] = await requestsOn('/verify', (r) => r.some((x) => x.status === 204));

    // Assess
    const verified = new Webhook(stack.signingSecret).verify(request!.body, request!.headers);
    expect(verified).toMatchObject({
      specversion: '1.0',
      type: 'sandbox.provisioned',
      subject: 'e2e-hook-verify',
      source: 'urn:sandbox-automation:sandbox-automation',
      datacontenttype: 'application/json',
      data: {
        sandbox: 'e2e-hook-verify',
        owner: 'e2e-hook-verify@contoso.com',
        blueprint: 'empty',
      },
    });
    expect(request!.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
    expect(request!.headers['webhook-id']).toBe((verified as { id: string }).id);
    expect(request!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    // The same event reached NOTIFY_WEBHOOKS too, with the same id.
    const global = stack.sink.requests().filter((r) => r.path === '/events');
    expect(global.map((r) => r.headers['webhook-id'])).toContain(request!.headers['webhook-id']);
  });

  it('delivers to a sink that fails twice, on the third try, with the same id each time', async () => {
    // Prepare
    stack.sink.respondWith({ status: 503, path: '/flaky' }, { status: 503, path: '/flaky' });

    // Act
    await sandboxWithWebhook('e2e-hook-flaky', '/flaky');
    const requests = await requestsOn('/flaky', (r) => r.some((x) => x.status === 204));

    // Assess
    expect(requests.map((r) => r.status)).toEqual([503, 503, 204]);
    expect(new Set(requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(new Set(requests.map((r) => JSON.parse(r.body).id)).size).toBe(1);
  });

  it('leaves the event in poison with its reason when the sink always fails', async () => {
    // Prepare: NOTIFY_MAX_ATTEMPTS is 3 on the test stack
    stack.sink.respondWith(...Array(3).fill({ status: 500, path: '/down' }));
    const poison = QueueServiceClient.fromConnectionString(
      stack.storage.connectionString,
    ).getQueueClient('notification-deliveries-poison');

    // Act
    await sandboxWithWebhook('e2e-hook-down', '/down');
    await requestsOn('/down', (r) => r.length === 3);
    let poisoned:
      | { reason?: string; event?: { type: string; subject: string }; attempt?: number }
      | undefined;
    for (let i = 0; i < 100 && !poisoned; i++) {
      await poison.createIfNotExists();
      const { peekedMessageItems } = await poison.peekMessages({ numberOfMessages: 32 });
      poisoned = peekedMessageItems
        .map((m) => decodeMessage<typeof poisoned & { target: { url: string } }>(m.messageText))
        .find((m) => m?.target.url.endsWith('/down'));
      if (!poisoned) await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // Assess
    expect(poisoned).toMatchObject({
      event: { type: 'sandbox.provisioned', subject: 'e2e-hook-down' },
      attempt: 3,
      reason: 'Gave up after 3 tries; last: the receiver answered 500.',
    });
    expect(stack.sink.requests().filter((r) => r.path === '/down')).toHaveLength(3);
  });

  it('still delivers the event, with the same id, after the host is killed mid-delivery', async () => {
    // Prepare: the sink holds its first answer back long enough to kill the host meanwhile
    stack.sink.respondWith({ status: 204, delayMs: 15_000, path: '/slow' });
    await sandboxWithWebhook('e2e-hook-kill', '/slow');
    const [first] = await requestsOn('/slow', (r) => r.length === 1);

    // Act
    await stack.stopHost('SIGKILL');
    await stack.startHost();
    const requests = await requestsOn('/slow', (r) => r.some((x) => x.status === 204), 60_000);

    // Assess
    const delivered = requests.filter((r) => r.status === 204);
    expect(delivered.length).toBeGreaterThanOrEqual(1);
    expect(delivered.every((r) => r !== requests[0])).toBe(true);
    for (const r of requests) {
      expect(r.headers['webhook-id']).toBe(first!.headers['webhook-id']);
      expect(JSON.parse(r.body).id).toBe(JSON.parse(first!.body).id);
    }
  });
});
