import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { DeliveryFailure, type DeliveryOutcome } from './EventDelivery.js';

/**
 * The data plane behind the storage accounts ARM knows: each account name maps to a connection
 * string of a local storage service (Azurite), or `*` to one for any account. The emulator writes
 * Event Grid's deliveries there. Connection strings hold keys: they are never logged.
 */
export type StorageConnections = Readonly<Record<string, string>>;

/** Event Grid's delivery outcome for a storage error. */
function outcomeOf(error: unknown): DeliveryOutcome {
  const status = (error as { statusCode?: number }).statusCode;
  if (status === 404) return 'NotFound';
  if (status === 403) return 'Forbidden';
  if (status === 401) return 'Unauthorized';
  if (status === 400) return 'BadRequest';
  if (status === 413) return 'RequestEntityTooLarge';
  if (status === 503 || status === 500) return 'Busy';
  return 'GenericError';
}

/** The storage error's code and status, without anything the request carried. */
function describe(error: unknown): string {
  const { statusCode, code, message } = error as {
    statusCode?: number;
    code?: string;
    message?: string;
  };
  if (statusCode) return `${statusCode} ${code ?? ''}`.trim();
  return code ?? message ?? 'unreachable';
}

export class StorageDataPlane {
  private readonly queueServices = new Map<string, QueueServiceClient>();
  private readonly blobServices = new Map<string, BlobServiceClient>();
  private readonly warned = new Set<string>();

  constructor(private readonly connections: StorageConnections = {}) {}

  /** Whether an account has somewhere to go. */
  serves(account: string): boolean {
    return this.connectionOf(account) !== undefined;
  }

  /**
   * Adds a message to a queue of an account, as Event Grid does for a StorageQueue destination:
   * the event's JSON, base64-encoded, one event per message.
   */
  async sendQueueMessage(
    account: string,
    queue: string,
    text: string,
    timeToLiveSeconds?: number,
  ): Promise<void> {
    const service = this.queueService(account);
    try {
      await service
        .getQueueClient(queue)
        .sendMessage(
          Buffer.from(text, 'utf8').toString('base64'),
          timeToLiveSeconds === undefined ? {} : { messageTimeToLive: timeToLiveSeconds },
        );
    } catch (error) {
      throw new DeliveryFailure(
        outcomeOf(error),
        `queue '${queue}' of account '${account}' answered ${describe(error)}`,
      );
    }
  }

  /** Writes a block blob (a dead-lettered event) to a container of an account. */
  async writeBlob(account: string, container: string, name: string, text: string): Promise<void> {
    const service = this.blobService(account);
    try {
      await service
        .getContainerClient(container)
        .getBlockBlobClient(name)
        .upload(text, Buffer.byteLength(text), {
          blobHTTPHeaders: { blobContentType: 'application/json' },
        });
    } catch (error) {
      throw new DeliveryFailure(
        outcomeOf(error),
        `container '${container}' of account '${account}' answered ${describe(error)}`,
      );
    }
  }

  private connectionOf(account: string): string | undefined {
    const byName = Object.entries(this.connections).find(
      ([name]) => name.toLowerCase() === account.toLowerCase(),
    );
    return byName?.[1] ?? this.connections['*'];
  }

  private requireConnection(account: string): string {
    const connection = this.connectionOf(account);
    if (connection) return connection;
    if (!this.warned.has(account)) {
      this.warned.add(account);
      console.error(
        `ARM emulator: no storage connection for account '${account}', so events for it stay undelivered; map it with --storage-connections.`,
      );
    }
    throw new DeliveryFailure(
      'NotFound',
      `no storage connection is configured for account '${account}'`,
    );
  }

  private queueService(account: string): QueueServiceClient {
    let service = this.queueServices.get(account);
    if (!service) {
      // One attempt per delivery: Event Grid's own schedule does the retrying.
      service = QueueServiceClient.fromConnectionString(this.requireConnection(account), {
        retryOptions: { maxTries: 1 },
      });
      this.queueServices.set(account, service);
    }
    return service;
  }

  private blobService(account: string): BlobServiceClient {
    let service = this.blobServices.get(account);
    if (!service) {
      service = BlobServiceClient.fromConnectionString(this.requireConnection(account), {
        retryOptions: { maxTries: 1 },
      });
      this.blobServices.set(account, service);
    }
    return service;
  }
}
