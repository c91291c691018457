import { QueueServiceClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, waitForOperation } from '../../support/provision/e2eClient.js';
import { type Stack, startStack } from '../../support/stack.js';

let stack: Stack;

beforeAll(async () => {
  // With the worker off, an accepted request stays queued, so this test alone decides what
  // happens to its message.
  stack = await startStack({ settings: { 'AzureWebJobs.provisionWorker.Disabled': 'true' } });
});
afterAll(async () => {
  await stack?.stop();
});

describe('a request whose message is poisoned', () => {
  it('ends failed with the reason, through the provision-requests-poison function', async () => {
    // Prepare
    const accepted = await callApi(stack, '/api/sandboxes', {
      body: {
        name: 'e2e-poisoned',
        owner: 'ana@contoso.com',
        location: 'westeurope',
        blueprint: 'empty',
        ttlHours: 8,
      },
    });
    expect(accepted.status).toBe(202);
    const queues = QueueServiceClient.fromConnectionString(stack.storage.connectionString);
    const work = queues.getQueueClient('provision-requests');
    const poison = queues.getQueueClient('provision-requests-poison');

    // Act: move the message as the host does after maxDequeueCount failed deliveries.
    const [message] = (await work.receiveMessages({ numberOfMessages: 1 })).receivedMessageItems;
    if (!message) throw new Error('the accepted request queued no message');
    await poison.createIfNotExists();
    await poison.sendMessage(message.messageText);
    await work.deleteMessage(message.messageId, message.popReceipt);
    const operation = await waitForOperation(stack, accepted.json.operationId);

    // Assess
    expect(operation).toMatchObject({
      status: 'failed',
      error: { code: 'RetriesExhausted' },
    });
    expect(operation.error.message).toContain('provision-requests-poison');
    expect((await poison.peekMessages()).peekedMessageItems).toHaveLength(0);
  });
});
