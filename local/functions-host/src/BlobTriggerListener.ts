import type { ContainerClient } from '@azure/storage-blob';
import type { QueueClient } from '@azure/storage-queue';
import { type BindingIO, encodeQueueMessage, type MessageEncoding } from './BindingIO.js';
import type { RpcTypedData } from './coreContract.js';
import type { FunctionInvoker } from './FunctionInvoker.js';
import type { RegisteredFunction } from './FunctionRegistry.js';
import type { HostLogger } from './HostLogger.js';

/** Thrown when a blob trigger's path is not `<container>/<blob pattern>`. */
export class BlobTriggerPathError extends Error {
  constructor(path: string, reason: string) {
    super(`Invalid blob trigger path '${path}': ${reason}`);
    this.name = 'BlobTriggerPathError';
  }
}

export interface BlobPathPattern {
  container: string;
  /** The literal start of the blob name: listing is narrowed to it. */
  prefix: string;
  /** The `{parameter}` names, in order. */
  parameters: string[];
  /** Matches a blob name and returns its parameters, or undefined. */
  match(blobName: string): Record<string, string> | undefined;
}

/**
 * Parses a blob trigger path as the blobs extension does: the container is literal, and the blob
 * part may hold `{name}` parameters (each matching within the rest of the name, as the
 * extension's BlobPathSource does) that become binding data.
 *
 * @example
 * parseBlobPathPattern('uploads/{name}.txt').match('a/b.txt'); // { name: 'a/b' }
 */
export function parseBlobPathPattern(path: string): BlobPathPattern {
  const slash = path.indexOf('/');
  const container = slash < 0 ? path : path.slice(0, slash);
  if (container === '' || /[{}]/.test(container)) {
    throw new BlobTriggerPathError(path, 'the container name must be literal.');
  }
  const blob = slash < 0 ? '' : path.slice(slash + 1);
  const parameters: string[] = [];
  let source = '';
  let rest = blob;
  while (rest !== '') {
    const open = rest.indexOf('{');
    if (open < 0) {
      source += escapeRegExp(rest);
      break;
    }
    source += escapeRegExp(rest.slice(0, open));
    const close = rest.indexOf('}', open);
    if (close < 0) throw new BlobTriggerPathError(path, `unclosed '{'.`);
    const name = rest.slice(open + 1, close);
    if (!/^\w+$/.test(name)) throw new BlobTriggerPathError(path, `bad parameter '{${name}}'.`);
    if (parameters.includes(name)) {
      throw new BlobTriggerPathError(path, `parameter '{${name}}' appears twice.`);
    }
    parameters.push(name);
    source += '(.+?)';
    rest = rest.slice(close + 1);
  }
  const pattern = new RegExp(`^${source || '.+'}$`, 's');
  const brace = blob.indexOf('{');
  return {
    container,
    prefix: brace < 0 ? blob : blob.slice(0, brace),
    parameters,
    match(blobName) {
      const found = pattern.exec(blobName);
      if (!found) return undefined;
      return Object.fromEntries(parameters.map((name, i) => [name, found[i + 1]!]));
    },
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The message the real host writes to `webjobs-blobtrigger-poison` (its BlobTriggerMessage). */
export function blobTriggerPoisonMessage(
  functionName: string,
  container: string,
  blobName: string,
  etag: string,
): string {
  return JSON.stringify({
    Type: 'BlobTrigger',
    FunctionId: `Host.Functions.${functionName}`,
    BlobType: 'BlockBlob',
    ContainerName: container,
    BlobName: blobName,
    ETag: etag,
  });
}

/** Where the real host keeps the receipt that one blob version was processed by one function. */
export function blobReceiptName(
  hostId: string,
  functionName: string,
  etag: string,
  container: string,
  blobName: string,
): string {
  return `blobreceipts/${hostId}/Host.Functions.${functionName}/${etag.replace(/"/g, '')}/${container}/${blobName}`;
}

export interface BlobTriggerListenerOptions {
  fn: RegisteredFunction;
  triggerName: string;
  pattern: BlobPathPattern;
  container: ContainerClient;
  /** `azure-webjobs-hosts`, where receipts live. */
  receipts: ContainerClient;
  poisonQueue: QueueClient;
  hostId: string;
  invoker: FunctionInvoker;
  bindings: BindingIO;
  logger: HostLogger;
  /** Attempts before a blob goes to the poison queue (the queues' maxDequeueCount, 5). */
  maxAttempts: number;
  /** Delay between attempts (the queues' visibilityTimeout). */
  retryDelayMs: number;
  encoding: MessageEncoding;
  /** How often the container is scanned for new or changed blobs. */
  pollIntervalMs: number;
}

/**
 * A blob trigger as the blobs extension runs one without Event Grid: the container is scanned
 * for blobs matching the path, and each blob version (ETag) is processed once, recorded by a
 * receipt blob in `azure-webjobs-hosts` so that a restart does not process it again. A failing
 * blob is retried up to `maxAttempts` times, then described in `webjobs-blobtrigger-poison`.
 */
export class BlobTriggerListener {
  readonly #o: BlobTriggerListenerOptions;
  /** Versions known to be done (receipt seen or written), so each scan skips them cheaply. */
  readonly #done = new Set<string>();
  readonly #running = new Map<string, Promise<void>>();
  #stopped = false;
  #timer?: NodeJS.Timeout;
  #scanning?: Promise<void>;

  constructor(options: BlobTriggerListenerOptions) {
    this.#o = options;
  }

  get name(): string {
    return this.#o.fn.metadata.name;
  }

  async start(): Promise<void> {
    await this.#o.container.createIfNotExists();
    await this.#o.receipts.createIfNotExists();
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#scanning;
    await Promise.allSettled([...this.#running.values()]);
  }

  #schedule(delay: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#scanning = this.#scan()
        .catch((error: Error) =>
          this.#o.logger.warn(
            'Host.Triggers.Blobs',
            `Scanning container '${this.#o.pattern.container}' for function '${this.name}' failed: ${error.message}`,
          ),
        )
        .finally(() => this.#schedule(this.#o.pollIntervalMs));
    }, delay);
  }

  async #scan(): Promise<void> {
    const { container, pattern } = this.#o;
    for await (const item of container.listBlobsFlat({
      prefix: pattern.prefix,
      includeMetadata: true,
    })) {
      if (this.#stopped) return;
      const parameters = pattern.match(item.name);
      // The quoted form, as the SDK's upload and the real host's messages give it.
      const etag = item.properties.etag && `"${item.properties.etag.replace(/"/g, '')}"`;
      if (!parameters || !etag) continue;
      const version = `${item.name}\n${etag}`;
      if (this.#done.has(version) || this.#running.has(version)) continue;
      const receipt = this.#receipt(item.name, etag);
      if (await receipt.exists()) {
        this.#done.add(version);
        continue;
      }
      const run = this.#process(item.name, etag, parameters).finally(() =>
        this.#running.delete(version),
      );
      this.#running.set(version, run);
    }
  }

  #receipt(blobName: string, etag: string) {
    const { receipts, hostId, pattern } = this.#o;
    return receipts.getBlockBlobClient(
      blobReceiptName(hostId, this.name, etag, pattern.container, blobName),
    );
  }

  async #process(blobName: string, etag: string, parameters: Record<string, string>) {
    const { fn, triggerName, container, invoker, bindings, logger, maxAttempts } = this.#o;
    const blob = container.getBlockBlobClient(blobName);
    const path = `${this.#o.pattern.container}/${blobName}`;
    for (let attempt = 1; attempt <= maxAttempts && !this.#stopped; attempt++) {
      let failed: Error | undefined;
      try {
        const content = await blob.downloadToBuffer(0, undefined, {
          conditions: { ifMatch: etag },
        });
        const properties = await blob.getProperties({ conditions: { ifMatch: etag } });
        const bindingData: Record<string, unknown> = {
          ...parameters,
          BlobTrigger: path,
          Uri: blob.url,
          Properties: blobProperties(properties, content.length),
          Metadata: properties.metadata ?? {},
        };
        const extraInputs = await bindings.readInputs(fn, bindingData);
        const binding = fn.metadata.bindings[triggerName]!;
        const data: RpcTypedData =
          binding.dataType === 'string' ? { string: content.toString('utf8') } : { bytes: content };
        const outcome = await invoker.invoke({
          fn,
          reason: `New blob detected(LogsAndContainerScan): ${path}`,
          inputData: [{ name: triggerName, data }, ...extraInputs],
          triggerMetadata: blobTriggerMetadata(bindingData, parameters),
          writeOutputs: (response) => bindings.writeOutputs(fn, response, bindingData),
        });
        failed = outcome.error;
      } catch (error) {
        const status = (error as { statusCode?: number }).statusCode;
        if (status === 404 || status === 412) {
          // The blob was deleted or replaced meanwhile: this version is gone, the next scan sees
          // the new one.
          return;
        }
        failed = error as Error;
        logger.error(
          `Function.${this.name}`,
          `Processing blob '${path}' failed: ${(error as Error).message}`,
        );
      }
      if (!failed) {
        await this.#complete(blobName, etag);
        return;
      }
      if (attempt < maxAttempts && this.#o.retryDelayMs > 0) {
        await new Promise((resolve) => setTimeout(resolve, this.#o.retryDelayMs));
      }
    }
    if (this.#stopped) return;
    await this.#poison(blobName, etag);
  }

  async #complete(blobName: string, etag: string): Promise<void> {
    await this.#receipt(blobName, etag).upload('', 0, { metadata: { Incomplete: 'false' } });
    this.#done.add(`${blobName}\n${etag}`);
  }

  async #poison(blobName: string, etag: string): Promise<void> {
    const { poisonQueue, pattern, logger, maxAttempts, encoding } = this.#o;
    await poisonQueue.createIfNotExists();
    await poisonQueue.sendMessage(
      encodeQueueMessage(
        blobTriggerPoisonMessage(this.name, pattern.container, blobName, etag),
        encoding,
      ),
    );
    // A poisoned version is not tried again on every start; it is done, as far as scans go.
    await this.#complete(blobName, etag);
    logger.error(
      `Function.${this.name}`,
      `Blob '${pattern.container}/${blobName}' failed ${maxAttempts} times; its description was moved to queue '${poisonQueue.name}'.`,
    );
  }
}

function blobProperties(
  properties: Awaited<
    ReturnType<ReturnType<ContainerClient['getBlockBlobClient']>['getProperties']>
  >,
  length: number,
) {
  return {
    Length: length,
    ContentType: properties.contentType,
    ContentEncoding: properties.contentEncoding,
    ContentMD5: properties.contentMD5
      ? Buffer.from(properties.contentMD5).toString('base64')
      : null,
    ETag: properties.etag,
    LastModified: properties.lastModified?.toISOString(),
    CreatedOn: properties.createdOn?.toISOString(),
    BlobType: properties.blobType,
  };
}

/** The trigger metadata the host sends with a blob: path, URI, properties, metadata, parameters. */
export function blobTriggerMetadata(
  bindingData: Record<string, unknown>,
  parameters: Record<string, string>,
): Record<string, RpcTypedData> {
  const metadata: Record<string, RpcTypedData> = {};
  for (const [name, value] of Object.entries(parameters)) metadata[name] = { string: value };
  metadata.BlobTrigger = { string: String(bindingData.BlobTrigger) };
  metadata.Uri = { string: String(bindingData.Uri) };
  metadata.Properties = { json: JSON.stringify(bindingData.Properties) };
  metadata.Metadata = { json: JSON.stringify(bindingData.Metadata) };
  metadata.sys = {
    json: JSON.stringify({ MethodName: '', UtcNow: new Date().toISOString() }),
  };
  return metadata;
}
