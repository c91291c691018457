/**
 * An in-memory `WorkQueue`: messages are JSON round-tripped (as the real queue would), kept in
 * order, and can be taken off by the test that plays the worker.
 */
import type { WorkQueue } from '../../../shared/queues/WorkQueue.js';

export interface SentMessage<T> {
  message: T;
  visibilityTimeoutSeconds?: number;
}

export class InMemoryWorkQueue<T> implements WorkQueue<T> {
  /** Everything ever sent, in order (taking messages does not remove them from here). */
  readonly sent: SentMessage<T>[] = [];
  private pending: SentMessage<T>[] = [];
  /** Runs before each message is accepted; throw to simulate a storage failure. */
  beforeSend?: (message: T) => void | Promise<void>;

  constructor(readonly name = 'in-memory') {}

  async send(message: T, options: { visibilityTimeoutSeconds?: number } = {}): Promise<void> {
    await this.beforeSend?.(message);
    const copy: SentMessage<T> = {
      message: JSON.parse(JSON.stringify(message)) as T,
      ...(options.visibilityTimeoutSeconds === undefined
        ? {}
        : { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds }),
    };
    this.sent.push(copy);
    this.pending.push(copy);
  }

  async sendMany(messages: readonly T[]): Promise<void> {
    for (const message of messages) await this.send(message);
  }

  /** The messages not yet taken, oldest first, without removing them. */
  peek(): T[] {
    return this.pending.map((m) => m.message);
  }

  /** Removes and returns every pending message, oldest first. */
  drain(): T[] {
    const out = this.pending.map((m) => m.message);
    this.pending = [];
    return out;
  }

  /** Removes and returns the oldest pending message. */
  take(): T | undefined {
    return this.pending.shift()?.message;
  }

  /** Removes and returns the oldest pending message with the visibility it was sent with. */
  takeSent(): SentMessage<T> | undefined {
    return this.pending.shift();
  }
}
