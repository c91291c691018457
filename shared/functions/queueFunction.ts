/**
 * The one queue adapter. Every queue-triggered function is declared as a `QueueFunction` and this
 * module does the rest the same way for all of them: the work's correlation (invocation id and
 * the operation or run the message names) around every call it makes, a logger bound to both,
 * and the retry-or-give-up decision. A transient failure (throttling, 5xx, network, an ETag race)
 * is thrown back to the host, which delivers the message again and moves it to `<queue>-poison`
 * after `maxDequeueCount`; anything else is logged with its reason and the message completes,
 * since delivering it again would give the same answer. Services record the reason on what the
 * message was about (the operation, the run, the item).
 */
import { app, type InvocationContext } from '@azure/functions';
import { type Correlation, runWithCorrelation } from '../correlation.js';
import { classifyError } from '../errors.js';
import { createLogger, type Logger } from '../logging/logger.js';
import type { Platform, PlatformProvider } from '../platform/Platform.js';
import { processPlatform } from '../platform/processPlatform.js';

/** What the host says about a delivery. */
export interface QueueDelivery {
  /** 1 on the first delivery; the host poisons the message after `maxDequeueCount`. */
  dequeueCount?: number;
  messageId?: string;
}

export interface QueueFunction<P> {
  name: string;
  queueName: string;
  /** The feature's ports, from the platform and the invocation's logger. */
  ports: (platform: Platform, logger: Logger) => P;
  /** The operation or run the message is about, for correlation and logs. */
  correlate?: (message: unknown) => Pick<Correlation, 'operationId' | 'runId'> | undefined;
  handle(message: unknown, ports: P, delivery: QueueDelivery): Promise<void>;
}

/**
 * Declares a queue function; returns it unchanged, typed, for `registerQueueFunction` and tests.
 *
 * @example
 * export const provisionWorker = queueFunction('provisionWorker', {
 *   queueName: queueNames.provisionRequests, ports: provisioningPorts,
 *   handle: (message, ports) => processOperationMessage(ports, message).then(() => undefined) });
 */
export function queueFunction<P>(
  name: string,
  spec: Omit<QueueFunction<P>, 'name'>,
): QueueFunction<P> {
  return { name, ...spec };
}

/**
 * The handler the host calls for `fn`, over the given platform (the process's by default).
 *
 * @example
 * await queueHandler(cleanupPoison, async () => fakePlatform)(message, context);
 */
export function queueHandler<P>(
  fn: QueueFunction<P>,
  getPlatform: PlatformProvider = processPlatform,
): (message: unknown, context: InvocationContext) => Promise<void> {
  return async (message, context) => {
    const delivery = deliveryOf(context);
    const subject = safely(() => fn.correlate?.(message)) ?? {};
    const ids = {
      ...(typeof subject.operationId === 'string' ? { operationId: subject.operationId } : {}),
      ...(typeof subject.runId === 'string' ? { runId: subject.runId } : {}),
    };
    await runWithCorrelation({ invocationId: context.invocationId, ...ids }, async () => {
      const logger = createLogger(context, {
        ...ids,
        ...(delivery.messageId ? { messageId: delivery.messageId } : {}),
        ...(delivery.dequeueCount ? { dequeueCount: delivery.dequeueCount } : {}),
      });
      try {
        await fn.handle(message, fn.ports(await getPlatform(), logger), delivery);
      } catch (error) {
        const failure = classifyError(error);
        if (failure.kind === 'transient') {
          logger.warn('message failed transiently; the queue will deliver it again', {
            code: failure.code,
            error,
          });
          throw error;
        }
        logger.error('message failed permanently; it will not be retried', {
          code: failure.code,
          error,
        });
      }
    });
  };
}

/**
 * Registers `fn` with the Functions host, on the app's storage connection.
 *
 * @example
 * registerQueueFunction(provisionWorker);
 */
export function registerQueueFunction<P>(fn: QueueFunction<P>): void {
  app.storageQueue(fn.name, {
    queueName: fn.queueName,
    connection: 'AzureWebJobsStorage',
    handler: queueHandler(fn),
  });
}

function deliveryOf(context: InvocationContext): QueueDelivery {
  const metadata = context.triggerMetadata ?? {};
  const dequeueCount = Number(metadata.dequeueCount);
  const messageId = metadata.id;
  return {
    ...(Number.isFinite(dequeueCount) && dequeueCount > 0 ? { dequeueCount } : {}),
    ...(typeof messageId === 'string' ? { messageId } : {}),
  };
}

function safely<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
