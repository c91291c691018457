/**
 * What the app has changed in the world, read straight from the platform it runs on: ARM state
 * in the emulator (its change counter, its groups and the writes it was sent), the record blobs
 * in Azurite and the messages on every queue. A suite snapshots before and after a request, and
 * anything that moved while the app answered with an error is a side effect of a rejected
 * request.
 */
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import type { Stack } from '../stack.js';

export interface StateSnapshot {
  /** The emulator's change counter: it moves on every change to ARM state. */
  armVersion: number;
  /** ARM requests other than GET and HEAD the emulator has been sent. */
  armWrites: number;
  groups: Set<string>;
  /** Record blob name → ETag. */
  records: Map<string, string>;
}

export interface QueuedMessage {
  queue: string;
  /** The message as the producer meant it (base64 decoded when it was encoded). */
  text: string;
}

export interface SideEffect {
  kind: 'arm-change' | 'arm-write' | 'resource-group' | 'record' | 'queue-message';
  detail: string;
}

const READS = new Set(['GET', 'HEAD']);
const QUEUE_LIST_EVERY = 20;

export class StateProbe {
  readonly #stack: Stack;
  readonly #records;
  readonly #queues: QueueServiceClient;
  #queueNames: string[] = [];
  #observations = 0;

  constructor(stack: Stack) {
    this.#stack = stack;
    this.#records = BlobServiceClient.fromConnectionString(
      stack.storage.connectionString,
    ).getContainerClient(stack.settings.RECORDS_CONTAINER ?? 'sandbox-records');
    this.#queues = QueueServiceClient.fromConnectionString(stack.storage.connectionString);
  }

  /**
   * The state now, and every message on every queue, read and deleted: the queue workers are off
   * while a suite probes, so each message is seen exactly once, by the request that put it there.
   */
  async observe(): Promise<{ snapshot: StateSnapshot; messages: QueuedMessage[] }> {
    const { core } = this.#stack.arm;
    const [records, messages] = await Promise.all([this.#listRecords(), this.#drainMessages()]);
    const byMethod = core.log.stats().byMethod;
    return {
      snapshot: {
        armVersion: core.state.version,
        armWrites: Object.entries(byMethod)
          .filter(([method]) => !READS.has(method))
          .reduce((sum, [, n]) => sum + n, 0),
        groups: new Set([...core.state.groups.values()].map((g) => g.name.toLowerCase())),
        records,
      },
      messages,
    };
  }

  async #listRecords(): Promise<Map<string, string>> {
    const records = new Map<string, string>();
    try {
      for await (const blob of this.#records.listBlobsFlat()) {
        records.set(blob.name, blob.properties.etag ?? '');
      }
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    }
    return records;
  }

  async #drainMessages(): Promise<QueuedMessage[]> {
    // Listing queues costs as much as draining them all: the list is read again every few
    // observations, so a message on a queue made since is still seen, a few requests late.
    if (this.#observations % QUEUE_LIST_EVERY === 0) {
      const names: string[] = [];
      for await (const queue of this.#queues.listQueues()) names.push(queue.name);
      this.#queueNames = names;
    }
    this.#observations += 1;
    const drained = await Promise.all(this.#queueNames.map((name) => this.#drain(name)));
    return drained.flat();
  }

  async #drain(name: string): Promise<QueuedMessage[]> {
    const client = this.#queues.getQueueClient(name);
    const drained: QueuedMessage[] = [];
    for (;;) {
      const { receivedMessageItems } = await client.receiveMessages({
        numberOfMessages: 32,
        visibilityTimeout: 60,
      });
      if (receivedMessageItems.length === 0) return drained;
      for (const message of receivedMessageItems) {
        drained.push({ queue: name, text: decodeMessage(message.messageText) });
        await client.deleteMessage(message.messageId, message.popReceipt);
      }
    }
  }

  /** What changed from `before` to `after`. */
  static diff(before: StateSnapshot, after: StateSnapshot): SideEffect[] {
    const effects: SideEffect[] = [];
    for (const group of after.groups) {
      if (!before.groups.has(group)) effects.push({ kind: 'resource-group', detail: group });
    }
    for (const [name, etag] of after.records) {
      const was = before.records.get(name);
      if (was !== etag) {
        effects.push({
          kind: 'record',
          detail: `${was === undefined ? 'new' : 'changed'} ${name}`,
        });
      }
    }
    if (after.armWrites !== before.armWrites) {
      effects.push({ kind: 'arm-write', detail: `${after.armWrites - before.armWrites} write(s)` });
    }
    if (after.armVersion !== before.armVersion && effects.length === 0) {
      effects.push({ kind: 'arm-change', detail: 'ARM state changed' });
    }
    return effects;
  }
}

function decodeMessage(text: string): string {
  const decoded = Buffer.from(text, 'base64').toString('utf8');
  return /^[\s]*[[{"]/.test(decoded) ? decoded : text;
}
