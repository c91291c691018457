import type { RpcInvocationResponse, RpcParameterBinding, RpcTypedData } from './coreContract.js';
import type { RegisteredFunction } from './FunctionRegistry.js';
import { resolveBindingExpression } from './resolveBindingExpression.js';
import { StorageConnections } from './StorageConnections.js';

type Settings = Record<string, string | undefined>;
export type MessageEncoding = 'base64' | 'none';

/** Binding types this host reads or writes besides triggers and HTTP. */
const supportedTypes = new Set(['blob', 'queue', 'http']);

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
      if (binding.direction !== 'in' || binding.type !== 'blob') continue;
      const path = resolveBindingExpression(String(binding.path), bindingData, this.#settings);
      const { container, blob } = splitBlobPath(path);
      const service = await this.#connections.blobService(
        StorageConnections.connectionName(binding),
      );
      const client = service.getContainerClient(container).getBlockBlobClient(blob);
      try {
        const buffer = await client.downloadToBuffer();
        inputs.push({
          name,
          data:
            binding.dataType === 'string' ? { string: buffer.toString('utf8') } : { bytes: buffer },
        });
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 404) throw error;
        inputs.push({ name, data: null });
      }
    }
    return inputs;
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
