/**
 * The real `WorkQueue`: JSON messages on an Azure Storage queue, base64-encoded as the Functions
 * queue trigger expects by default. `@azure/storage-queue` is imported lazily, on first use.
 */
import type { TokenCredential } from '@azure/identity';
import type { QueueClient } from '@azure/storage-queue';
import pLimit from 'p-limit';
import type { AppConfig, StorageConfig } from '../config.js';
import { createCredential } from '../credentials.js';
import { AzureRequestError } from '../errors.js';
import { memoizeAsync, onceAsync } from '../memoizeAsync.js';
import type { WorkQueue } from './WorkQueue.js';

/** Storage's limit on a message, after base64: 64 KiB. */
const maxMessageBytes = 64 * 1024;

const queues = memoizeAsync(
  (key: { config: Pick<AppConfig, 'storage' | 'clientId'>; queueName: string }) =>
    StorageWorkQueue.fromStorage<unknown>(key.config.storage, key.queueName, () =>
      createCredential(key.config),
    ),
  ({ config, queueName }) => JSON.stringify([config.storage, config.clientId, queueName]),
);

export interface StorageWorkQueueOptions {
  /** How many messages `sendMany` has in flight at once. Default 32. */
  concurrency?: number;
}

export class StorageWorkQueue<T> implements WorkQueue<T> {
  private readonly concurrency: number;
  /** Creates the queue once, on first use; a failure is retried by the next call. */
  private readonly ensureQueue = onceAsync(async () => {
    try {
      await this.queue.createIfNotExists();
    } catch (error) {
      throw AzureRequestError.from(error);
    }
  });

  /** Prefer `StorageWorkQueue.fromConfig`; this is for callers that built the client themselves. */
  constructor(
    private readonly queue: QueueClient,
    options: StorageWorkQueueOptions = {},
  ) {
    this.concurrency = Math.max(1, options.concurrency ?? 32);
  }

  /**
   * A queue on the configured storage account.
   *
   * @example
   * const queue = await StorageWorkQueue.fromConfig<ProvisionMessage>(getConfig(), queueNames.provisionRequests);
   * await queue.send({ operationId });
   */
  static fromConfig<T>(
    config: Pick<AppConfig, 'storage' | 'clientId'>,
    queueName: string,
  ): Promise<StorageWorkQueue<T>> {
    // One instance per queue and process, so the queue is created (checked) once, not per call.
    return queues({ config, queueName }) as Promise<StorageWorkQueue<T>>;
  }

  /**
   * A queue reached by connection string (Azurite) or by identity (`queueServiceUri`).
   *
   * @example
   * await StorageWorkQueue.fromStorage({ kind: 'connectionString', connectionString }, 'notifications');
   */
  static async fromStorage<T>(
    storage: StorageConfig,
    queueName: string,
    credential?: () => Promise<TokenCredential>,
    options?: StorageWorkQueueOptions,
  ): Promise<StorageWorkQueue<T>> {
    const { QueueServiceClient } = await import('@azure/storage-queue');
    let service: import('@azure/storage-queue').QueueServiceClient;
    if (storage.kind === 'connectionString') {
      service = QueueServiceClient.fromConnectionString(storage.connectionString);
    } else {
      if (!credential) throw new TypeError('identity-based storage needs a credential');
      service = new QueueServiceClient(storage.queueServiceUri, await credential());
    }
    return new StorageWorkQueue<T>(service.getQueueClient(queueName), options);
  }

  /** The queue's name, for logs. */
  get name(): string {
    return this.queue.name;
  }

  async send(message: T, options: { visibilityTimeoutSeconds?: number } = {}): Promise<void> {
    const text = encodeMessage(message);
    await this.ensureQueue();
    try {
      await this.queue.sendMessage(
        text,
        options.visibilityTimeoutSeconds === undefined
          ? undefined
          : { visibilityTimeout: options.visibilityTimeoutSeconds },
      );
    } catch (error) {
      throw AzureRequestError.from(error);
    }
  }

  async sendMany(messages: readonly T[]): Promise<void> {
    // Encode everything first: one oversized message must not leave half the batch sent.
    const texts = messages.map(encodeMessage);
    if (texts.length === 0) return;
    await this.ensureQueue();
    const limit = pLimit(this.concurrency);
    await Promise.all(
      texts.map((text) =>
        limit(async () => {
          try {
            await this.queue.sendMessage(text);
          } catch (error) {
            throw AzureRequestError.from(error);
          }
        }),
      ),
    );
  }
}

/**
 * A message as the queue trigger reads it: base64 of the UTF-8 JSON.
 *
 * @example
 * encodeMessage({ a: 1 }); // 'eyJhIjoxfQ=='
 */
export function encodeMessage(message: unknown): string {
  const json = JSON.stringify(message);
  if (json === undefined) throw new TypeError('a queue message must be JSON-serializable');
  const text = Buffer.from(json, 'utf8').toString('base64');
  if (text.length > maxMessageBytes) {
    throw new RangeError(
      `queue message is ${text.length} bytes after base64; the limit is ${maxMessageBytes}`,
    );
  }
  return text;
}

/**
 * The inverse of `encodeMessage`, for tests and tools that peek at a queue.
 *
 * @example
 * decodeMessage('eyJhIjoxfQ=='); // { a: 1 }
 */
export function decodeMessage<T = unknown>(text: string): T {
  return JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as T;
}
