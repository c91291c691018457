/**
 * The real `TableStore`: one Azure Table (Azurite locally), one entity per record. A record's
 * JSON goes into string properties of at most 30,000 characters each (Azure Tables caps a string
 * at 64 KiB of UTF-16), so a record is any JSON value up to a few hundred KiB; the entity's ETag
 * gives optimistic concurrency (`If-Match` to replace), and writes of one partition go together
 * in an entity group transaction.
 *
 * `@azure/data-tables` is imported lazily, on first use.
 */

import type { TableClient, TableEntity, TransactionAction } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import { type AppConfig, type StorageConfig, tableServiceUriOf } from '../config.js';
import { createCredential } from '../credentials.js';
import { AzureRequestError, classifyError, RecordConflictError } from '../errors.js';
import { memoizeAsync, onceAsync } from '../memoizeAsync.js';
import {
  type ListRowsOptions,
  MAX_TRANSACTION_ACTIONS,
  type StoredRow,
  type TableAction,
  type TableStore,
} from './TableStore.js';

/** Characters of JSON per property: 60,000 bytes of UTF-16, under the 64 KiB limit. */
const CHUNK = 30_000;
/** The properties one entity may use for its JSON, within the 1 MiB entity limit. */
const MAX_CHUNKS = 15;

const stores = memoizeAsync(
  (key: { config: Pick<AppConfig, 'storage' | 'clientId'>; table: string }) =>
    AzureTableStore.fromStorage(key.config.storage, key.table, () => createCredential(key.config)),
  ({ config, table }) => JSON.stringify([config.storage, config.clientId, table]),
);

/** The properties an entity carries besides its keys: the record's JSON in order. */
type RecordEntity = TableEntity<Record<string, unknown>>;

export class AzureTableStore implements TableStore {
  /** Creates the table once, on first use; a failure is retried by the next call. */
  private readonly ensureTable = onceAsync(async () => {
    try {
      await this.client.createTable();
    } catch (error) {
      // createTable answers 409 TableAlreadyExists only through older SDKs; be tolerant.
      if (classifyError(error).status !== 409) throw AzureRequestError.from(error);
    }
  });

  /** Prefer `AzureTableStore.fromConfig`; this is for callers that built the client themselves. */
  constructor(private readonly client: TableClient) {}

  /**
   * The process's store for `table` on the configured storage account.
   *
   * @example
   * const items = await AzureTableStore.fromConfig(getConfig(), tableNames.cleanupItems);
   */
  static fromConfig(
    config: Pick<AppConfig, 'storage' | 'clientId'>,
    table: string,
  ): Promise<AzureTableStore> {
    return stores({ config, table });
  }

  /**
   * A store on `table`, reached by connection string (Azurite) or by identity.
   *
   * @example
   * await AzureTableStore.fromStorage({ kind: 'connectionString', connectionString }, 'cleanupitems');
   */
  static async fromStorage(
    storage: StorageConfig,
    table: string,
    credential?: () => Promise<TokenCredential>,
  ): Promise<AzureTableStore> {
    const { TableClient } = await import('@azure/data-tables');
    if (storage.kind === 'connectionString') {
      // Azurite serves plain http, which the SDK refuses unless told.
      return new AzureTableStore(
        TableClient.fromConnectionString(storage.connectionString, table, {
          allowInsecureConnection: isLocal(storage.connectionString),
        }),
      );
    }
    if (!credential) throw new TypeError('identity-based storage needs a credential');
    const endpoint = tableServiceUriOf(storage);
    if (!endpoint) throw new TypeError('identity-based storage needs a Table service endpoint');
    return new AzureTableStore(new TableClient(endpoint, table, await credential()));
  }

  async get<T>(partitionKey: string, rowKey: string): Promise<StoredRow<T> | undefined> {
    await this.ensureTable();
    try {
      const entity = await this.client.getEntity<Record<string, unknown>>(partitionKey, rowKey);
      return { rowKey, value: decode<T>(entity), etag: entity.etag };
    } catch (error) {
      if (classifyError(error).status === 404) return undefined;
      throw AzureRequestError.from(error);
    }
  }

  async *list<T>(
    partitionKey: string,
    prefix: string,
    options: ListRowsOptions = {},
  ): AsyncIterable<StoredRow<T>> {
    const { after, limit = Number.POSITIVE_INFINITY } = options;
    if (limit <= 0) return;
    await this.ensureTable();
    const { odata } = await import('@azure/data-tables');
    // Row keys are compared as strings: every key with the prefix sorts below prefix + U+FFFF.
    const clauses = [odata`PartitionKey eq ${partitionKey}`];
    if (prefix) clauses.push(odata`RowKey lt ${`${prefix}\uffff`}`);
    if (after !== undefined && after >= prefix) clauses.push(odata`RowKey gt ${after}`);
    else if (prefix) clauses.push(odata`RowKey ge ${prefix}`);
    const filter = clauses.join(' and ');
    let left = limit;
    try {
      const pages = this.client
        .listEntities<Record<string, unknown>>({ queryOptions: { filter } })
        .byPage({ maxPageSize: Math.min(1000, left) });
      for await (const page of pages) {
        for (const entity of page) {
          yield { rowKey: entity.rowKey ?? '', value: decode<T>(entity), etag: entity.etag };
          if (--left <= 0) return;
        }
      }
    } catch (error) {
      throw AzureRequestError.from(error);
    }
  }

  async transact(partitionKey: string, actions: readonly TableAction[]): Promise<string[]> {
    if (actions.length === 0) return [];
    if (actions.length > MAX_TRANSACTION_ACTIONS) {
      throw new RangeError(
        `a transaction takes at most ${MAX_TRANSACTION_ACTIONS} actions, not ${actions.length}`,
      );
    }
    if (new Set(actions.map((a) => a.rowKey)).size !== actions.length) {
      throw new RangeError('a transaction may write each row once');
    }
    await this.ensureTable();
    const entities = actions.map((a) => encode(partitionKey, a.rowKey, a.value));
    const where = `${this.client.tableName}/${partitionKey}`;
    try {
      if (actions.length === 1) return [await this.writeOne(actions[0]!, entities[0]!)];
      const response = await this.client.submitTransaction(
        actions.map((action, i) => toTransactionAction(action, entities[i]!)),
      );
      const etags = actions.map(
        (a, i) => response.getResponseForEntity(a.rowKey)?.etag ?? response.subResponses[i]?.etag,
      );
      // Every service answers each write with its ETag; read back any that did not.
      return Promise.all(
        etags.map(
          async (etag, i) => etag ?? (await this.get(partitionKey, actions[i]!.rowKey))?.etag ?? '',
        ),
      );
    } catch (error) {
      const status = classifyError(error).status;
      // 409: a row to create exists; 412: an ETag moved on; 404: a row to replace is gone.
      if (status === 409 || status === 412 || status === 404) {
        throw new RecordConflictError(where, `a row of ${where} changed since it was read`, error);
      }
      throw AzureRequestError.from(error);
    }
  }

  private async writeOne(action: TableAction, entity: RecordEntity): Promise<string> {
    switch (action.kind) {
      case 'create':
        return (await this.client.createEntity(entity)).etag ?? '';
      case 'replace':
        return (
          (await this.client.updateEntity(entity, 'Replace', { etag: action.etag })).etag ?? ''
        );
      case 'upsert':
        return (await this.client.upsertEntity(entity, 'Replace')).etag ?? '';
    }
  }
}

function toTransactionAction(action: TableAction, entity: RecordEntity): TransactionAction {
  if (action.kind === 'create') return ['create', entity];
  if (action.kind === 'replace') return ['update', entity, 'Replace', { etag: action.etag }];
  return ['upsert', entity, 'Replace'];
}

/**
 * The entity for a record: its JSON in properties `j0`, `j1`, … of at most `CHUNK` characters.
 *
 * @example
 * encode('run-1', 'item|s|g', { a: 1 }); // { partitionKey: 'run-1', rowKey: 'item|s|g', j0: '{"a":1}' }
 */
export function encode(partitionKey: string, rowKey: string, value: unknown): RecordEntity {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`row ${rowKey} is not JSON-serializable`);
  const chunks = Math.max(1, Math.ceil(json.length / CHUNK));
  if (chunks > MAX_CHUNKS) {
    throw new RangeError(
      `row ${rowKey} is ${json.length} characters of JSON; a row holds at most ${CHUNK * MAX_CHUNKS}`,
    );
  }
  const entity: RecordEntity = { partitionKey, rowKey };
  for (let i = 0; i < chunks; i++) entity[`j${i}`] = json.slice(i * CHUNK, (i + 1) * CHUNK);
  return entity;
}

/** The record an entity holds (see `encode`). */
export function decode<T>(entity: Record<string, unknown>): T {
  let json = '';
  for (let i = 0; typeof entity[`j${i}`] === 'string'; i++) json += entity[`j${i}`] as string;
  return JSON.parse(json) as T;
}

function isLocal(connectionString: string): boolean {
  return (
    /UseDevelopmentStorage=true/i.test(connectionString) ||
    /Endpoint=http:\/\//i.test(connectionString)
  );
}
