/**
 * The real `RecordStore`: one JSON blob per key in the `RECORDS_CONTAINER` container, with the
 * blob's ETag for optimistic concurrency (`If-None-Match: *` to create, `If-Match` to replace),
 * and logs as append blobs (one Append Block per entry; at most 50,000 per blob).
 *
 * `@azure/storage-blob` is imported lazily, on first use.
 */
import type { ContainerClient } from '@azure/storage-blob';
import type { AppConfig, StorageConfig } from '../config.js';
import { createCredential } from '../credentials.js';
import { AzureRequestError, RecordConflictError } from '../errors.js';
import { memoizeAsync, onceAsync } from '../memoizeAsync.js';
import type { AppendOptions, RecordStore, StoredRecord } from './RecordStore.js';

const stores = memoizeAsync(
  (config: Pick<AppConfig, 'storage' | 'recordsContainer' | 'clientId'>) =>
    BlobRecordStore.fromStorage(config.storage, config.recordsContainer, () =>
      createCredential(config),
    ),
  (config) => JSON.stringify([config.storage, config.recordsContainer, config.clientId]),
);

export class BlobRecordStore implements RecordStore {
  /** Creates the container once, on first use; a failure is retried by the next call. */
  private readonly ensureContainer = onceAsync(async () => {
    try {
      await this.container.createIfNotExists();
    } catch (error) {
      throw AzureRequestError.from(error);
    }
  });

  /** Prefer `BlobRecordStore.fromConfig`; this is for callers that built the client themselves. */
  constructor(private readonly container: ContainerClient) {}

  /**
   * The process's record store for the configured storage account and container.
   *
   * @example
   * const records = await BlobRecordStore.fromConfig(getConfig());
   * await records.create('operations/op-1.json', { status: 'queued' });
   */
  static fromConfig(
    config: Pick<AppConfig, 'storage' | 'recordsContainer' | 'clientId'>,
  ): Promise<BlobRecordStore> {
    return stores(config);
  }

  /**
   * A record store on `containerName`, reached by connection string or by identity.
   *
   * @example
   * await BlobRecordStore.fromStorage({ kind: 'connectionString', connectionString }, 'records');
   */
  static async fromStorage(
    storage: StorageConfig,
    containerName: string,
    credential?: () => Promise<import('@azure/identity').TokenCredential>,
  ): Promise<BlobRecordStore> {
    const { BlobServiceClient } = await import('@azure/storage-blob');
    let service: import('@azure/storage-blob').BlobServiceClient;
    if (storage.kind === 'connectionString') {
      service = BlobServiceClient.fromConnectionString(storage.connectionString);
    } else {
      if (!credential) throw new TypeError('identity-based storage needs a credential');
      service = new BlobServiceClient(storage.blobServiceUri, await credential());
    }
    return new BlobRecordStore(service.getContainerClient(containerName));
  }

  async get<T>(key: string): Promise<StoredRecord<T> | undefined> {
    const text = await this.read(key);
    return text && { value: JSON.parse(text.body) as T, etag: text.etag };
  }

  async create<T>(key: string, value: T): Promise<StoredRecord<T>> {
    const etag = await this.write(key, JSON.stringify(value), 'application/json', {
      ifNoneMatch: '*',
    });
    return { value, etag };
  }

  async replace<T>(key: string, value: T, etag: string): Promise<StoredRecord<T>> {
    const next = await this.write(key, JSON.stringify(value), 'application/json', {
      ifMatch: etag,
    });
    return { value, etag: next };
  }

  async put<T>(key: string, value: T): Promise<StoredRecord<T>> {
    const etag = await this.write(key, JSON.stringify(value), 'application/json', {});
    return { value, etag };
  }

  async putText(key: string, text: string, contentType: string): Promise<void> {
    await this.write(key, text, contentType, {});
  }

  async getText(key: string): Promise<string | undefined> {
    return (await this.read(key))?.body;
  }

  async append(key: string, text: string, options: AppendOptions = {}): Promise<void> {
    await this.ensureContainer();
    const log = this.container.getAppendBlobClient(key);
    const bytes = Buffer.from(text, 'utf8');
    if (!options.likelyNew) {
      try {
        await log.appendBlock(bytes, bytes.length);
        return;
      } catch (error) {
        if (statusOf(error) !== 404) throw AzureRequestError.from(error);
      }
    }
    // The log's first entry: create it (another writer may just have), then append.
    try {
      await log.createIfNotExists({ blobHTTPHeaders: { blobContentType: 'application/x-ndjson' } });
      await log.appendBlock(bytes, bytes.length);
    } catch (error) {
      throw AzureRequestError.from(error);
    }
  }

  async *list(prefix: string): AsyncIterable<string> {
    await this.ensureContainer();
    try {
      for await (const page of this.container
        .listBlobsFlat({ prefix })
        .byPage({ maxPageSize: 1000 })) {
        for (const item of page.segment.blobItems) yield item.name;
      }
    } catch (error) {
      throw AzureRequestError.from(error);
    }
  }

  async *listFolders(prefix: string): AsyncIterable<string> {
    await this.ensureContainer();
    try {
      for await (const page of this.container
        .listBlobsByHierarchy('/', { prefix })
        .byPage({ maxPageSize: 1000 })) {
        for (const folder of page.segment.blobPrefixes ?? []) yield folder.name;
      }
    } catch (error) {
      throw AzureRequestError.from(error);
    }
  }

  private async read(key: string): Promise<{ body: string; etag: string } | undefined> {
    await this.ensureContainer();
    try {
      const response = await this.container.getBlobClient(key).download();
      const body = await streamToString(response.readableStreamBody);
      return { body, etag: response.etag ?? '' };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw AzureRequestError.from(error);
    }
  }

  private async write(
    key: string,
    body: string,
    contentType: string,
    conditions: { ifMatch?: string; ifNoneMatch?: string },
  ): Promise<string> {
    await this.ensureContainer();
    const bytes = Buffer.from(body, 'utf8');
    try {
      const response = await this.container.getBlockBlobClient(key).upload(bytes, bytes.length, {
        conditions,
        blobHTTPHeaders: { blobContentType: contentType },
      });
      return response.etag ?? '';
    } catch (error) {
      const status = statusOf(error);
      if (conditions.ifNoneMatch && status === 409) {
        throw new RecordConflictError(key, `record ${key} already exists`, error);
      }
      // 412: the ETag moved on; 404: the record was deleted since it was read.
      if (conditions.ifMatch && (status === 412 || status === 404)) {
        throw new RecordConflictError(key, `record ${key} changed since it was read`, error);
      }
      throw AzureRequestError.from(error);
    }
  }
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

async function streamToString(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  if (!stream) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks).toString('utf8');
}
