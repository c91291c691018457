import type { DequeuedMessageItem, QueueClient } from '@azure/storage-queue';
import { describe, expect, it } from 'vitest';
import type { BindingIO } from '../../src/BindingIO.js';
import type { FunctionInvoker, InvocationRequest } from '../../src/FunctionInvoker.js';
import { HostLogger } from '../../src/HostLogger.js';
import { QueueListener } from '../../src/QueueListener.js';
import type { QueueOptions } from '../../src/readHostConfig.js';

/** An in-memory queue with the visibility rules of Azure Storage queues, for the listener's port. */
class InMemoryQueue {
  readonly messages: {
    id: string;
    text: string;
    dequeueCount: number;
    visibleAt: number;
    receipt: string;
  }[] = [];
  /** How long an updateMessage takes to answer, to put a renewal in flight on purpose. */
  updateDelayMs = 0;
  #next = 0;
  constructor(readonly name: string) {}

  add(text: string) {
    this.messages.push({
      id: `m${this.#next++}`,
      text,
      dequeueCount: 0,
      visibleAt: 0,
      receipt: '',
    });
  }

  client(): QueueClient {
    return {
      name: this.name,
      createIfNotExists: async () => ({}),
      sendMessage: async (text: string) => this.add(text),
      receiveMessages: async ({ numberOfMessages = 1, visibilityTimeout = 30 } = {}) => {
        const now = Date.now();
        const taken = this.messages.filter((m) => m.visibleAt <= now).slice(0, numberOfMessages);
        for (const m of taken) {
          m.dequeueCount++;
          m.visibleAt = now + visibilityTimeout * 1000;
          m.receipt = `r${Math.random()}`;
        }
        return {
          receivedMessageItems: taken.map(
            (m) =>
              ({
                messageId: m.id,
                messageText: m.text,
                dequeueCount: m.dequeueCount,
                popReceipt: m.receipt,
                insertedOn: new Date(),
                expiresOn: new Date(),
                nextVisibleOn: new Date(m.visibleAt),
              }) as DequeuedMessageItem,
          ),
        };
      },
      updateMessage: async (
        id: string,
        receipt: string,
        _text: string | undefined,
        visibilityTimeout: number,
      ) => {
        // The service applies the update at once; its answer may come back later.
        const m = this.messages.find((x) => x.id === id && x.receipt === receipt);
        if (m) {
          m.visibleAt = Date.now() + visibilityTimeout * 1000;
          m.receipt = `r${Math.random()}`;
        }
        const popReceipt = m?.receipt;
        if (this.updateDelayMs) await new Promise((r) => setTimeout(r, this.updateDelayMs));
        if (!popReceipt) throw new Error('pop receipt mismatch');
        return { popReceipt };
      },
      deleteMessage: async (id: string, receipt: string) => {
        const index = this.messages.findIndex((x) => x.id === id && x.receipt === receipt);
        if (index < 0) throw new Error('pop receipt mismatch');
        this.messages.splice(index, 1);
      },
    } as unknown as QueueClient;
  }
}

const options: QueueOptions = {
  maxPollingInterval: 20,
  visibilityTimeout: 0,
  batchSize: 2,
  newBatchThreshold: 1,
  maxDequeueCount: 3,
  messageEncoding: 'none',
};

const noBindings = {
  readInputs: async () => [],
  writeOutputs: async () => {},
} as unknown as BindingIO;

function listenerWith(
  queue: InMemoryQueue,
  poison: InMemoryQueue,
  run: (request: InvocationRequest) => Promise<Error | undefined>,
  leaseMs = 60_000,
) {
  const invoker = {
    invoke: async (request: InvocationRequest) => ({
      invocationId: 'i',
      error: await run(request),
      durationMs: 0,
    }),
  } as unknown as FunctionInvoker;
  return new QueueListener({
    fn: { metadata: { name: 'work', bindings: {} }, callback: () => {} },
    triggerName: 'message',
    queue: queue.client(),
    poisonQueue: poison.client(),
    options,
    invoker,
    bindings: noBindings,
    logger: new HostLogger({ format: 'json', write: () => {} }),
    leaseMs,
  });
}

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('QueueListener', () => {
  it('runs at most batchSize + newBatchThreshold messages at once, and deletes each on success', async () => {
    // Prepare
    const queue = new InMemoryQueue('work');
    const poison = new InMemoryQueue('work-poison');
    for (let i = 0; i < 8; i++) queue.add(`message ${i}`);
    let running = 0;
    let peak = 0;
    let done = 0;
    const listener = listenerWith(queue, poison, async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running--;
      done++;
      return undefined;
    });
    // Act
    listener.start();
    await until(() => done === 8 && queue.messages.length === 0);
    await listener.stop(100);
    // Assess
    expect(peak).toBeLessThanOrEqual(options.batchSize + options.newBatchThreshold);
    expect(peak).toBeGreaterThan(1);
  });

  it('retries a failing message and moves it to the poison queue after maxDequeueCount', async () => {
    // Prepare
    const queue = new InMemoryQueue('work');
    const poison = new InMemoryQueue('work-poison');
    queue.add('bad');
    const seen: string[] = [];
    const listener = listenerWith(queue, poison, async (request) => {
      seen.push(JSON.parse(request.triggerMetadata.DequeueCount!.json!));
      return new Error('nope');
    });
    // Act
    listener.start();
    await until(() => poison.messages.length === 1);
    await listener.stop(100);
    // Assess
    expect(seen).toEqual([1, 2, 3]);
    expect(queue.messages).toHaveLength(0);
    expect(poison.messages[0]?.text).toBe('bad');
  });

  it('on stop, releases a message still running after the drain bound, so it is visible again', async () => {
    // Prepare
    const queue = new InMemoryQueue('work');
    queue.add('slow');
    let started = false;
    const listener = listenerWith(queue, new InMemoryQueue('p'), async () => {
      started = true;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return undefined;
    });
    listener.start();
    await until(() => started);
    // Act
    const { released } = await listener.stop(10);
    // Assess
    expect(released).toBe(1);
    expect(queue.messages[0]?.visibleAt).toBeLessThanOrEqual(Date.now());
  });

  it('completes a message whose lease renewal is still in flight, with the renewed pop receipt', async () => {
    // Prepare: renewals every 20 ms that take 30 ms to answer, and an invocation of 30 ms, so the
    // invocation ends while a renewal (which changes the pop receipt) is on the wire.
    const queue = new InMemoryQueue('work');
    queue.updateDelayMs = 30;
    queue.add('renewed');
    let invocations = 0;
    const listener = listenerWith(
      queue,
      new InMemoryQueue('p'),
      async () => {
        invocations++;
        await new Promise((resolve) => setTimeout(resolve, 30));
        return undefined;
      },
      40,
    );
    // Act
    listener.start();
    await until(() => queue.messages.length === 0 || invocations > 1);
    await listener.stop(100);
    // Assess
    expect(queue.messages).toHaveLength(0);
    expect(invocations).toBe(1);
  });
});
