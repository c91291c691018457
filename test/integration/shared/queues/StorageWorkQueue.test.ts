/**
 * The storage work queue against Azurite, read back with the real `@azure/storage-queue` client
 * the way the Functions queue trigger reads it (base64 JSON).
 */
import { QueueServiceClient } from '@azure/storage-queue';
import { type RunningAzurite, startAzurite } from '@sandbox-automation/functions-host/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessage, StorageWorkQueue } from '../../../../shared/queues/StorageWorkQueue.js';

let azurite: RunningAzurite;
let queueCount = 0;

beforeAll(async () => {
  azurite = await startAzurite();
});

afterAll(async () => {
  await azurite?.stop();
});

async function freshQueue<T>(concurrency?: number) {
  queueCount += 1;
  const name = `work-${queueCount}-${process.pid}`;
  const queue = await StorageWorkQueue.fromStorage<T>(
    { kind: 'connectionString', connectionString: azurite.connectionString },
    name,
    undefined,
    concurrency === undefined ? undefined : { concurrency },
  );
  const reader = QueueServiceClient.fromConnectionString(azurite.connectionString).getQueueClient(
    name,
  );
  return { queue, reader };
}

async function receiveAll(
  reader: ReturnType<QueueServiceClient['getQueueClient']>,
): Promise<string[]> {
  const texts: string[] = [];
  for (;;) {
    const batch = await reader.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 60 });
    if (batch.receivedMessageItems.length === 0) return texts;
    texts.push(...batch.receivedMessageItems.map((m) => m.messageText));
  }
}

describe('StorageWorkQueue', () => {
  it('creates the queue on first send and sends base64 JSON', async () => {
    // Prepare
    const { queue, reader } = await freshQueue<{ operationId: string; note: string }>();

    // Act
    await queue.send({ operationId: 'op-1', note: 'ünïcode' });

    // Assess
    const texts = await receiveAll(reader);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(decodeMessage(texts[0] ?? '')).toEqual({ operationId: 'op-1', note: 'ünïcode' });
  });

  it('hides a message for the requested visibility timeout', async () => {
    // Prepare
    const { queue, reader } = await freshQueue<{ n: number }>();

    // Act
    await queue.send({ n: 1 }, { visibilityTimeoutSeconds: 30 });

    // Assess
    const peeked = await reader.peekMessages({ numberOfMessages: 5 });
    expect(peeked.peekedMessageItems).toHaveLength(0);
    expect((await reader.getProperties()).approximateMessagesCount).toBe(1);
  });

  it('sends many messages with bounded concurrency, every one exactly once', async () => {
    // Prepare
    const { queue, reader } = await freshQueue<{ n: number }>(4);
    const messages = Array.from({ length: 60 }, (_, n) => ({ n }));

    // Act
    await queue.sendMany(messages);

    // Assess
    const received = (await receiveAll(reader)).map((t) => decodeMessage<{ n: number }>(t).n);
    expect(received.sort((a, b) => a - b)).toEqual(messages.map((m) => m.n));
  });

  it('sends nothing when one message of the batch is too large', async () => {
    // Prepare
    const { queue, reader } = await freshQueue<{ blob: string }>();

    // Act
    const outcome = queue.sendMany([{ blob: 'small' }, { blob: 'x'.repeat(60_000) }]);

    // Assess
    await expect(outcome).rejects.toThrow(/the limit is 65536/);
    expect(await reader.exists()).toBe(false);
  });
});
