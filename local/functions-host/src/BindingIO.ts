import type { RpcInvocationResponse, RpcParameterBinding, RpcTypedData } from './coreContract.js';
import type { RegisteredFunction } from './FunctionRegistry.js';
import { resolveBindingExpression } from './resolveBindingExpression.js';
import { StorageConnections } from './StorageConnections.js';

type Settings = Record<string, string | undefined>;
export type MessageEncoding = 'base64' | 'none';

/** Binding types this host reads or writes besides triggers and HTTP. */
const supportedTypes = new Set(['blob', 'queue', 'http', 'table']);

/** Thrown when a blob binding's path lacks a container or a blob name. */
export class BlobPathError extends Error {
  constructor(path: string) {
    super(`Invalid blob path '${path}': expected '<container>/<blob>'.`);
    this.name = 'BlobPathError';
  }
}

function splitBlobPath(path: string): { container: string; blob: string } {
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) throw new BlobPathError(path);
  return { container: path.slice(0, slash), blob: path.slice(slash + 1) };
}

/**
 * The values one output binding carries: an array (as JSON or a collection) is many values,
 * anything else is one. Objects become JSON text.
 */
export function outputValues(data: RpcTypedData | null | undefined): (string | Buffer)[] {
  if (!data) return [];
  if (typeof data.string === 'string') return [data.string];
  if (typeof data.json === 'string') {
    const parsed: unknown = JSON.parse(data.json);
    const items = Array.isArray(parsed) ? parsed : [parsed];
    return items.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
  }
  if (data.bytes) return [Buffer.from(data.bytes)];
  if (data.stream) return [Buffer.from(data.stream)];
  if (typeof data.int === 'number') return [String(data.int)];
  if (typeof data.double === 'number') return [String(data.double)];
  if (data.collectionString?.string) return data.collectionString.string;
  if (data.collectionBytes?.bytes) return data.collectionBytes.bytes.map((b) => Buffer.from(b));
  if (data.collectionDouble?.double) return data.collectionDouble.double.map(String);
  if (data.collectionSint64?.sint64) return data.collectionSint64.sint64.map(String);
  return [];
}

/** The bytes one blob output binding writes: text, JSON text or raw bytes. */
export function blobContent(data: RpcTypedData | null | undefined): Buffer | undefined {
  if (!data) return undefined;
  if (typeof data.string === 'string') return Buffer.from(data.string, 'utf8');
  if (typeof data.json === 'string') return Buffer.from(data.json, 'utf8');
  if (data.bytes) return Buffer.from(data.bytes);
  if (data.stream) return Buffer.from(data.stream);
  if (typeof data.int === 'number') return Buffer.from(String(data.int));
  if (typeof data.double === 'number') return Buffer.from(String(data.double));
  return undefined;
}

/** Thrown when a table output entity lacks a key, or a table input names a row without a partition. */
export class TableBindingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TableBindingError';
  }
}

/** An entity as the tables extension hands it to a Node.js function: PascalCase keys first. */
export function entityToJson(entity: Record<string, unknown>): Record<string, unknown> {
  const { partitionKey, rowKey, timestamp, etag: _etag, ...properties } = entity;
  const json: Record<string, unknown> = { PartitionKey: partitionKey, RowKey: rowKey };
  if (timestamp !== undefined) json.Timestamp = timestamp;
  for (const [name, value] of Object.entries(properties)) {
    if (name === 'odata.metadata' || name.endsWith('@odata.type')) continue;
    json[name] = value;
  }
  return json;
}

/**
 * The entities one table output binding writes: an object is one entity, an array many. Keys
 * come from each entity, or from the binding's `partitionKey` / `rowKey`.
 */
export function tableEntities(
  data: RpcTypedData | null | undefined,
  keys: { partitionKey?: string; rowKey?: string },
): Record<string, unknown>[] {
  if (!data) return [];
  let parsed: unknown;
  if (typeof data.json === 'string') parsed = JSON.parse(data.json);
  else if (typeof data.string === 'string') parsed = JSON.parse(data.string);
  else
    throw new TableBindingError('A table output binding takes an object or an array of objects.');
  const items = Array.isArray(parsed) ? parsed : [parsed];
  return items.map((item) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      throw new TableBindingError('A table output binding takes an object or an array of objects.');
    }
    const {
      PartitionKey,
      RowKey,
      Timestamp: _t,
      ETag: _e,
      ...properties
    } = item as Record<string, unknown>;
    const partitionKey = PartitionKey ?? keys.partitionKey;
    const rowKey = RowKey ?? keys.rowKey;
    if (partitionKey === undefined || partitionKey === null) {
      throw new TableBindingError('PartitionKey must be specified for the table output binding.');
    }
    if (rowKey === undefined || rowKey === null) {
      throw new TableBindingError('RowKey must be specified for the table output binding.');
    }
    return { ...properties, partitionKey: String(partitionKey), rowKey: String(rowKey) };
  });
}

/** Encodes a queue message body as the queues extension does for `messageEncoding`. */
export function encodeQueueMessage(value: string | Buffer, encoding: MessageEncoding): string {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return encoding === 'base64' ? bytes.toString('base64') : bytes.toString('utf8');
}

/** Reads input bindings before an invocation and writes output bindings after it. */
export class BindingIO {
  readonly #connections: StorageConnections;
  readonly #settings: Settings;
  readonly #encoding: MessageEncoding;
  readonly #onQueueWrite: (queueName: string) => void;

  constructor(options: {
    connections: StorageConnections;
    settings: Settings;
    encoding: MessageEncoding;
    onQueueWrite?: (queueName: string) => void;
  }) {
    this.#connections = options.connections;
    this.#settings = options.settings;
    this.#encoding = options.encoding;
    this.#onQueueWrite = options.onQueueWrite ?? (() => {});
  }

  /** Binding types of a function that this host cannot serve. */
  static unsupportedBindings(fn: RegisteredFunction): string[] {
    return Object.values(fn.metadata.bindings)
      .filter((b) => b.direction !== 'in' || !String(b.type).endsWith('Trigger'))
      .map((b) => String(b.type))
      .filter((type) => !type.endsWith('Trigger') && !supportedTypes.has(type));
  }

  async readInputs(
    fn: RegisteredFunction,
    bindingData: Record<string, unknown>,
  ): Promise<RpcParameterBinding[]> {
    const inputs: RpcParameterBinding[] = [];
    for (const [name, binding] of Object.entries(fn.metadata.bindings)) {
      if (binding.direction !== 'in') continue;
      if (binding.type === 'blob')
        inputs.push({ name, data: await this.#readBlob(binding, bindingData) });
      else if (binding.type === 'table') {
        inputs.push({ name, data: await this.#readTable(binding, bindingData) });
      }
    }
    return inputs;
  }

  async #readBlob(
    binding: Record<string, unknown>,
    bindingData: Record<string, unknown>,
  ): Promise<RpcTypedData | null> {
    const path = resolveBindingExpression(String(binding.path), bindingData, this.#settings);
    const { container, blob } = splitBlobPath(path);
    const service = await this.#connections.blobService(StorageConnections.connectionName(binding));
    const client = service.getContainerClient(container).getBlockBlobClient(blob);
    try {
      const buffer = await client.downloadToBuffer();
      return binding.dataType === 'string'
        ? { string: buffer.toString('utf8') }
        : { bytes: buffer };
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
      return null;
    }
  }

  /**
   * A table input as the tables extension reads it for a Node.js function: with `rowKey`, the
   * one entity (or null when there is none); otherwise the entities of `partitionKey` that match
   * `filter`, at most `take` of them, as an array.
   */
  async #readTable(
    binding: Record<string, unknown>,
    bindingData: Record<string, unknown>,
  ): Promise<RpcTypedData | null> {
    const resolve = (value: unknown) =>
      typeof value === 'string' && value !== ''
        ? resolveBindingExpression(value, bindingData, this.#settings)
        : undefined;
    const tableName = resolve(binding.tableName);
    if (!tableName) throw new TableBindingError('A table binding needs a tableName.');
    const partitionKey = resolve(binding.partitionKey);
    const rowKey = resolve(binding.rowKey);
    const filter = resolve(binding.filter);
    const take =
      binding.take === undefined || binding.take === null ? undefined : Number(binding.take);
    const client = await this.#connections.tableClient(
      StorageConnections.connectionName(binding),
      tableName,
    );
    if (rowKey !== undefined) {
      if (partitionKey === undefined) {
        throw new TableBindingError('A table input binding with a rowKey needs a partitionKey.');
      }
      if (filter !== undefined || take !== undefined) {
        throw new TableBindingError(
          'A table input binding with a rowKey reads one entity: it takes no filter or take.',
        );
      }
      try {
        const entity = await client.getEntity(partitionKey, rowKey);
        return { json: JSON.stringify(entityToJson(entity)) };
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return null;
        throw error;
      }
    }
    if (take !== undefined && (!Number.isInteger(take) || take <= 0)) {
      throw new TableBindingError(
        `The table input binding's take must be a positive integer, not ${String(binding.take)}.`,
      );
    }
    const clauses: string[] = [];
    if (partitionKey !== undefined)
      clauses.push(`PartitionKey eq '${partitionKey.replace(/'/g, "''")}'`);
    if (filter !== undefined) clauses.push(`(${filter})`);
    const entities: Record<string, unknown>[] = [];
    try {
      for await (const entity of client.listEntities({
        queryOptions: clauses.length > 0 ? { filter: clauses.join(' and ') } : {},
      })) {
        entities.push(entityToJson(entity));
        if (take !== undefined && entities.length >= take) break;
      }
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    }
    return { json: JSON.stringify(entities) };
  }

  async writeOutputs(
    fn: RegisteredFunction,
    response: RpcInvocationResponse | undefined,
    bindingData: Record<string, unknown>,
  ): Promise<void> {
    const values = new Map<string, RpcTypedData | null | undefined>();
    for (const output of response?.outputData ?? []) {
      if (output.name) values.set(output.name, output.data);
    }
    if (fn.metadata.bindings.$return) values.set('$return', response?.returnValue);
    for (const [name, binding] of Object.entries(fn.metadata.bindings)) {
      if (binding.direction !== 'out' || !values.has(name)) continue;
      if (binding.type === 'queue') {
        const items = outputValues(values.get(name));
        if (items.length > 0) await this.#sendMessages(binding, bindingData, items);
      } else if (binding.type === 'blob') {
        const content = blobContent(values.get(name));
        if (content) await this.#writeBlob(binding, bindingData, content);
      } else if (binding.type === 'table') {
        await this.#writeEntities(binding, bindingData, values.get(name));
      }
    }
  }

  async #sendMessages(
    binding: Record<string, unknown>,
    bindingData: Record<string, unknown>,
    items: (string | Buffer)[],
  ) {
    const queueName = resolveBindingExpression(
      String(binding.queueName),
      bindingData,
      this.#settings,
    ).toLowerCase();
    const service = await this.#connections.queueService(
      StorageConnections.connectionName(binding),
    );
    const queue = service.getQueueClient(queueName);
    await queue.createIfNotExists();
    // A few sends at a time: a large fan-out should not take one round trip per message.
    for (let start = 0; start < items.length; start += 16) {
      const chunk = items.slice(start, start + 16);
      await Promise.all(
        chunk.map((item) => queue.sendMessage(encodeQueueMessage(item, this.#encoding))),
      );
    }
    this.#onQueueWrite(queueName);
  }

  async #writeEntities(
    binding: Record<string, unknown>,
    bindingData: Record<string, unknown>,
    data: RpcTypedData | null | undefined,
  ) {
    const resolve = (value: unknown) =>
      typeof value === 'string' && value !== ''
        ? resolveBindingExpression(value, bindingData, this.#settings)
        : undefined;
    const entities = tableEntities(data, {
      partitionKey: resolve(binding.partitionKey),
      rowKey: resolve(binding.rowKey),
    });
    if (entities.length === 0) return;
    const tableName = resolve(binding.tableName);
    if (!tableName) throw new TableBindingError('A table binding needs a tableName.');
    const client = await this.#connections.tableClient(
      StorageConnections.connectionName(binding),
      tableName,
    );
    await client.createTable();
    for (let start = 0; start < entities.length; start += 16) {
      await Promise.all(
        entities
          .slice(start, start + 16)
          .map((entity) =>
            client.upsertEntity(entity as { partitionKey: string; rowKey: string }, 'Replace'),
          ),
      );
    }
  }

  async #writeBlob(
    binding: Record<string, unknown>,
    bindingData: Record<string, unknown>,
    content: Buffer,
  ) {
    const path = resolveBindingExpression(String(binding.path), bindingData, this.#settings);
    const { container, blob } = splitBlobPath(path);
    const service = await this.#connections.blobService(StorageConnections.connectionName(binding));
    const containerClient = service.getContainerClient(container);
    await containerClient.createIfNotExists();
    await containerClient.getBlockBlobClient(blob).uploadData(content);
  }
}
