import { randomUUID } from 'node:crypto';
import type { DequeuedMessageItem, QueueClient } from '@azure/storage-queue';
import type { BindingIO, MessageEncoding } from './BindingIO.js';
import { nextPollingDelay } from './backoff.js';
import type { RpcTypedData } from './coreContract.js';
import type { FunctionInvoker } from './FunctionInvoker.js';
import type { RegisteredFunction } from './FunctionRegistry.js';
import type { HostLogger } from './HostLogger.js';
import type { QueueOptions } from './readHostConfig.js';

export interface QueueListenerOptions {
  fn: RegisteredFunction;
  triggerName: string;
  queue: QueueClient;
  poisonQueue: QueueClient;
  options: QueueOptions;
  invoker: FunctionInvoker;
  bindings: BindingIO;
  logger: HostLogger;
  /** How long a dequeued message stays invisible; renewed at half-life while it runs. */
  leaseMs: number;
}

interface Lease {
  message: DequeuedMessageItem;
  popReceipt: string;
  renewal?: NodeJS.Timeout;
  /** A visibility renewal that has been sent and not yet answered. */
  renewing?: Promise<void>;
  released: boolean;
}

/** Thrown for a base64 queue message that is not valid base64. */
export class MessageDecodingError extends Error {
  constructor(messageId: string) {
    super(
      `Message '${messageId}' is not valid base64; set extensions.queues.messageEncoding to "none" for plain text.`,
    );
    this.name = 'MessageDecodingError';
  }
}

/**
 * Decodes a queue message body per `messageEncoding`.
 *
 * @example
 * decodeQueueMessage('aGk=', 'base64', 'id'); // 'hi'
 */
export function decodeQueueMessage(
  text: string,
  encoding: MessageEncoding,
  messageId: string,
): string {
  if (encoding === 'none') return text;
  const normalized = text.replace(/\s/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(normalized) || normalized.length % 4 !== 0) {
    throw new MessageDecodingError(messageId);
  }
  return Buffer.from(normalized, 'base64').toString('utf8');
}

/** The trigger metadata the host sends with a queue message. */
export function queueTriggerMetadata(
  message: DequeuedMessageItem,
  body: string,
  popReceipt: string,
): Record<string, RpcTypedData> {
  const time = (date: Date | undefined) => ({ json: JSON.stringify(date?.toISOString() ?? null) });
  return {
    QueueTrigger: { string: body },
    DequeueCount: { json: String(message.dequeueCount) },
    Id: { string: message.messageId },
    PopReceipt: { string: popReceipt },
    InsertionTime: time(message.insertedOn),
    ExpirationTime: time(message.expiresOn),
    NextVisibleTime: time(message.nextVisibleOn),
    sys: {
      json: JSON.stringify({
        MethodName: '',
        UtcNow: new Date().toISOString(),
        RandGuid: randomUUID(),
      }),
    },
  };
}

/**
 * Polls one storage queue for one function, as the queues extension's listener does: backs off
 * on empty polls up to `maxPollingInterval`, keeps up to `batchSize + newBatchThreshold`
 * messages in flight, keeps them invisible while they run, deletes on success, makes them
 * visible again after `visibilityTimeout` on failure, and moves them to `<queue>-poison` after
 * `maxDequeueCount` attempts.
 */
export class QueueListener {
  readonly #o: QueueListenerOptions;
  readonly #inFlight = new Map<string, { lease: Lease; done: Promise<void> }>();
  #stopped = false;
  #loop?: Promise<void>;
  #wake?: () => void;
  #slotFreed?: () => void;

  constructor(options: QueueListenerOptions) {
    this.#o = options;
  }

  get queueName(): string {
    return this.#o.queue.name;
  }

  start(): void {
    this.#loop = this.#run();
  }

  /** Polls now instead of waiting out the backoff, e.g. after this host wrote to the queue. */
  notify(): void {
    this.#wake?.();
  }

  /** Stops polling, waits up to `drainMs` for running messages, releases the rest. */
  async stop(drainMs: number): Promise<{ released: number }> {
    this.#stopped = true;
    this.#wake?.();
    this.#slotFreed?.();
    await this.#loop;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.#inFlight.values()].map((entry) => entry.done)),
      new Promise((resolve) => {
        timer = setTimeout(resolve, drainMs);
      }),
    ]);
    clearTimeout(timer);
    const unfinished = [...this.#inFlight.values()].map((entry) => entry.lease);
    await Promise.allSettled(unfinished.map((lease) => this.#release(lease, 0)));
    return { released: unfinished.length };
  }

  async #run(): Promise<void> {
    const { queue, options, logger } = this.#o;
    let delay = 0;
    while (!this.#stopped) {
      if (this.#inFlight.size > options.newBatchThreshold) {
        await new Promise<void>((resolve) => {
          this.#slotFreed = resolve;
        });
        continue;
      }
      let received = 0;
      try {
        const result = await queue.receiveMessages({
          numberOfMessages: options.batchSize,
          visibilityTimeout: Math.max(1, Math.ceil(this.#o.leaseMs / 1000)),
        });
        received = result.receivedMessageItems.length;
        for (const message of result.receivedMessageItems) this.#track(message);
      } catch (error) {
        if (this.#stopped) break;
        logger.warn(
          'Host.Triggers.Queues',
          `Polling queue '${queue.name}' failed: ${(error as Error).message}`,
        );
      }
      delay = received > 0 ? 0 : nextPollingDelay(delay, options.maxPollingInterval);
      if (delay > 0 && !this.#stopped) await this.#sleep(delay);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }

  #track(message: DequeuedMessageItem): void {
    const lease: Lease = { message, popReceipt: message.popReceipt, released: false };
    this.#renewLater(lease);
    const done = this.#process(lease)
      .catch((error: unknown) => {
        // The message was not deleted, released or moved: it reappears when its lease lapses and
        // is delivered again, as on the real host. Never let this take the host down.
        this.#o.logger.warn(
          'Host.Triggers.Queues',
          `Could not complete message '${message.messageId}'; it will be delivered again: ${(error as Error).message}`,
        );
      })
      .finally(() => {
        clearTimeout(lease.renewal);
        this.#inFlight.delete(message.messageId);
        this.#slotFreed?.();
      });
    this.#inFlight.set(message.messageId, { lease, done });
  }

  #renewLater(lease: Lease): void {
    lease.renewal = setTimeout(() => {
      if (lease.released) return;
      lease.renewing = this.#renew(lease).finally(() => {
        lease.renewing = undefined;
      });
    }, this.#o.leaseMs / 2);
    lease.renewal.unref();
  }

  async #renew(lease: Lease): Promise<void> {
    try {
      const result = await this.#o.queue.updateMessage(
        lease.message.messageId,
        lease.popReceipt,
        undefined,
        Math.ceil(this.#o.leaseMs / 1000),
      );
      if (result.popReceipt) lease.popReceipt = result.popReceipt;
      if (!lease.released) this.#renewLater(lease);
    } catch (error) {
      this.#o.logger.warn(
        'Host.Triggers.Queues',
        `Could not extend the visibility of message '${lease.message.messageId}': ${(error as Error).message}`,
      );
    }
  }

  /**
   * Ends the lease's renewals before the message is deleted, released or moved. A renewal still
   * in flight changes the pop receipt, so it must be answered first: completing with the old
   * receipt would fail with PopReceiptMismatch.
   */
  async #settle(lease: Lease): Promise<void> {
    lease.released = true;
    clearTimeout(lease.renewal);
    await lease.renewing;
  }

  async #release(lease: Lease, visibilityMs: number): Promise<void> {
    await this.#settle(lease);
    await this.#o.queue.updateMessage(
      lease.message.messageId,
      lease.popReceipt,
      undefined,
      Math.round(visibilityMs / 1000),
    );
  }

  async #process(lease: Lease): Promise<void> {
    const { fn, triggerName, queue, options, invoker, bindings, logger } = this.#o;
    const { message } = lease;
    if (message.dequeueCount > options.maxDequeueCount) {
      await this.#poison(lease);
      return;
    }
    let failed = false;
    try {
      const body = decodeQueueMessage(
        message.messageText,
        options.messageEncoding,
        message.messageId,
      );
      const triggerMetadata = queueTriggerMetadata(message, body, lease.popReceipt);
      const bindingData = bindingDataFor(body, message);
      const extraInputs = await bindings.readInputs(fn, bindingData);
      const outcome = await invoker.invoke({
        fn,
        reason: `New queue message detected on '${queue.name}'.`,
        inputData: [{ name: triggerName, data: { string: body } }, ...extraInputs],
        triggerMetadata,
        writeOutputs: (response) => bindings.writeOutputs(fn, response, bindingData),
      });
      failed = outcome.error !== undefined;
    } catch (error) {
      failed = true;
      logger.error(
        `Function.${fn.metadata.name}`,
        `Processing message '${message.messageId}' failed: ${(error as Error).message}`,
      );
    }
    if (lease.released) return;
    if (!failed) {
      await this.#settle(lease);
      await queue.deleteMessage(message.messageId, lease.popReceipt);
    } else if (message.dequeueCount >= options.maxDequeueCount) {
      await this.#poison(lease);
    } else {
      await this.#release(lease, options.visibilityTimeout);
    }
  }

  async #poison(lease: Lease): Promise<void> {
    const { queue, poisonQueue, options, logger, fn } = this.#o;
    await this.#settle(lease);
    await poisonQueue.createIfNotExists();
    await poisonQueue.sendMessage(lease.message.messageText);
    await queue.deleteMessage(lease.message.messageId, lease.popReceipt);
    // Logged once the move is done, so that whoever waits for this line finds the message there.
    logger.warn(
      `Function.${fn.metadata.name}`,
      `Message has reached MaxDequeueCount of ${options.maxDequeueCount}. Moving message to queue '${poisonQueue.name}'.`,
      { messageId: lease.message.messageId, dequeueCount: lease.message.dequeueCount },
    );
  }
}

function bindingDataFor(body: string, message: DequeuedMessageItem): Record<string, unknown> {
  let payload: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      payload = parsed as Record<string, unknown>;
  } catch {
    // A plain-text message has no properties to bind.
  }
  return {
    ...payload,
    QueueTrigger: body,
    DequeueCount: message.dequeueCount,
    Id: message.messageId,
    InsertionTime: message.insertedOn?.toISOString(),
    ExpirationTime: message.expiresOn?.toISOString(),
  };
}
