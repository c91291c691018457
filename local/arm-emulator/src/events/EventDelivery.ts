import { z } from 'zod';
import { seededRandom } from '../seededRandom.js';

/**
 * Event Grid's delivery to one destination, as MicrosoftDocs/azure-docs describes it
 * (articles/event-grid/delivery-and-retry.md, manage-event-delivery.md): at least once, retried on
 * the schedule 10 s, 30 s, 1 min, 5 min, 10 min, 30 min, 1 h and then hourly, until it succeeds,
 * the event's time to live passes or the attempts run out; then dead-lettered five minutes later
 * when the event subscription has a dead-letter destination, else dropped. Every interval follows
 * the emulator's time scale. On top, seeded and reproducible: duplicated deliveries and events held
 * back behind later ones.
 */

export const eventDeliverySettingsSchema = z
  .object({
    seed: z.number().int().default(1),
    /** Each delivered event is written a second time with this probability. */
    duplicateRate: z.number().min(0).max(1).default(0),
    /** Each event is held back, behind the next one to the same queue, with this probability. */
    reorderRate: z.number().min(0).max(1).default(0),
    /** How long a held-back event waits for a later one before it goes anyway (real time). */
    reorderWindowMs: z.number().min(0).default(1000),
  })
  .strict();

export type EventDeliverySettings = z.infer<typeof eventDeliverySettingsSchema>;
export type EventDeliverySettingsInput = z.input<typeof eventDeliverySettingsSchema>;

/**
 * Why an attempt failed, as Event Grid names delivery outcomes (`lastDeliveryOutcome` of a
 * dead-lettered event).
 */
export type DeliveryOutcome =
  | 'NotFound'
  | 'Forbidden'
  | 'Unauthorized'
  | 'BadRequest'
  | 'RequestEntityTooLarge'
  | 'Busy'
  | 'TimedOut'
  | 'GenericError';

/** A failed delivery attempt: its outcome, and a message for the emulator's event log. */
export class DeliveryFailure extends Error {
  constructor(
    readonly outcome: DeliveryOutcome,
    message: string,
  ) {
    super(message);
    this.name = 'DeliveryFailure';
  }
}

/** A delivery that can no longer happen (its event subscription was deleted): dropped at once. */
export class DeliveryAbandoned extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryAbandoned';
  }
}

/** One event for one event subscription. */
export interface DeliveryJob {
  eventId: string;
  /** The event subscription's resource id and name. */
  eventSubscriptionId: string;
  eventSubscriptionName: string;
  /** `{account}/{queue}`: deliveries to the same queue keep their order unless held back. */
  destination: string;
  /** The event as the destination receives it (Event Grid or CloudEvents schema). */
  event: Record<string, unknown>;
  maxDeliveryAttempts: number;
  eventTimeToLiveMinutes: number;
  /** `{account}/{container}` when the event subscription dead-letters. */
  deadLetter?: string;
}

export type DeliveryStatus = 'pending' | 'held' | 'delivered' | 'deadLettered' | 'dropped';

/** What became of one job: for the control API's event log and for tests. */
export interface DeliveryRecord {
  job: DeliveryJob;
  status: DeliveryStatus;
  attempts: number;
  /** Copies written: more than one when the delivery was duplicated. */
  copies: number;
  heldBack: boolean;
  publishedAt: number;
  lastOutcome?: DeliveryOutcome;
  lastError?: string;
  lastAttemptAt?: number;
}

/** The I/O and time a delivery needs; the emulator passes its storage data plane and clock. */
export interface DeliveryPorts {
  /** Writes the event to its destination; throws DeliveryFailure. */
  deliver(job: DeliveryJob): Promise<void>;
  /** Writes a dead-lettered event (the event plus Event Grid's dead-letter fields). */
  deadLetter(job: DeliveryJob, deadLettered: Record<string, unknown>): Promise<void>;
  now(): number;
  /** Multiplies every Event Grid interval: 0.001 makes a 10 s retry take 10 ms. */
  timeScale: number;
  setTimer?(callback: () => void, ms: number): unknown;
  clearTimer?(handle: unknown): void;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
/** delivery-and-retry.md, "Retry schedule and duration". */
const RETRY_SCHEDULE = [
  10 * SECOND,
  30 * SECOND,
  MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  30 * MINUTE,
  60 * MINUTE,
];
const HOURLY = 60 * MINUTE;
/** "There is a five-minute delay between the last attempt to deliver an event and when it is delivered to the dead-letter location." */
const DEAD_LETTER_DELAY = 5 * MINUTE;
/** "If the dead-letter location is unavailable for four hours, the event is dropped." */
const DEAD_LETTER_PATIENCE = 4 * 60 * MINUTE;
/** Responses that will never succeed: dead-lettered at once (delivery-and-retry.md). */
const FINAL_OUTCOMES: ReadonlySet<DeliveryOutcome> = new Set([
  'BadRequest',
  'RequestEntityTooLarge',
]);

const RECORDS_KEPT = 2000;

export class EventDelivery {
  private current: EventDeliverySettings;
  private random: () => number;
  private readonly records: DeliveryRecord[] = [];
  private readonly held = new Map<string, Set<DeliveryRecord>>();
  private readonly timers = new Map<DeliveryRecord, unknown>();
  /** The last write per destination: writes to one queue happen one after another, in order. */
  private readonly chains = new Map<string, Promise<void>>();
  private unfinished = 0;
  private idleWaiters: Array<() => void> = [];
  private stopped = false;

  constructor(
    private readonly ports: DeliveryPorts,
    settings: EventDeliverySettingsInput = {},
  ) {
    this.current = eventDeliverySettingsSchema.parse(settings);
    this.random = seededRandom(this.current.seed);
  }

  get settings(): EventDeliverySettings {
    return this.current;
  }

  /** Replaces the settings and restarts the random sequence from the seed. */
  configure(settings: EventDeliverySettingsInput): void {
    this.current = eventDeliverySettingsSchema.parse(settings);
    this.random = seededRandom(this.current.seed);
  }

  /** Deliveries not yet delivered, dead-lettered or dropped. */
  get pending(): number {
    return this.unfinished;
  }

  /** The most recent deliveries, oldest first. */
  log(): readonly DeliveryRecord[] {
    return this.records;
  }

  /**
   * Takes one event for one event subscription and delivers it: now, or, when the seeded draw
   * says so, after the next delivery to the same queue.
   */
  enqueue(job: DeliveryJob): DeliveryRecord {
    // Two draws per job whatever the rates, so the sequence depends on the seed and order alone.
    const duplicate = this.random() < this.current.duplicateRate;
    const holdBack = this.random() < this.current.reorderRate;
    const record: DeliveryRecord = {
      job,
      status: 'pending',
      attempts: 0,
      copies: duplicate ? 2 : 1,
      heldBack: holdBack,
      publishedAt: this.ports.now(),
    };
    this.records.push(record);
    if (this.records.length > RECORDS_KEPT) this.records.shift();
    this.unfinished += 1;
    if (this.stopped) {
      this.finish(record, 'dropped');
      return record;
    }
    if (holdBack) {
      record.status = 'held';
      const waiting = this.held.get(job.destination) ?? new Set();
      waiting.add(record);
      this.held.set(job.destination, waiting);
      this.schedule(record, this.current.reorderWindowMs, () => this.release(record));
    } else {
      this.attempt(record);
    }
    return record;
  }

  /** Resolves once nothing is pending (every delivery delivered, dead-lettered or dropped). */
  settled(): Promise<void> {
    if (this.unfinished === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Forgets every delivery and stops the pending ones; `reset` keeps accepting new ones. */
  reset(settings: EventDeliverySettingsInput): void {
    for (const handle of this.timers.values()) this.clear(handle);
    this.timers.clear();
    this.held.clear();
    for (const record of this.records) {
      if (record.status === 'pending' || record.status === 'held') record.status = 'dropped';
    }
    this.records.length = 0;
    this.unfinished = 0;
    this.wakeIdleWaiters();
    this.configure(settings);
  }

  /** Stops: no more attempts; waits for the writes in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const [record, handle] of this.timers) {
      this.clear(handle);
      this.finish(record, 'dropped');
    }
    this.timers.clear();
    await Promise.allSettled([...this.chains.values()]);
  }

  private release(record: DeliveryRecord): void {
    if (record.status !== 'held') return;
    this.held.get(record.job.destination)?.delete(record);
    this.unschedule(record);
    record.status = 'pending';
    this.attempt(record);
  }

  private attempt(record: DeliveryRecord): void {
    const destination = record.job.destination;
    const previous = this.chains.get(destination) ?? Promise.resolve();
    const next = previous.then(() => this.deliverOnce(record));
    this.chains.set(destination, next);
    void next.finally(() => {
      if (this.chains.get(destination) === next) this.chains.delete(destination);
    });
  }

  private async deliverOnce(record: DeliveryRecord): Promise<void> {
    if (this.stopped || record.status !== 'pending') return;
    const { job } = record;
    const expiresAt =
      record.publishedAt + job.eventTimeToLiveMinutes * MINUTE * this.ports.timeScale;
    if (record.attempts > 0 && this.ports.now() >= expiresAt) {
      this.giveUp(record, 'TimeToLiveExceeded');
      return;
    }
    record.attempts += 1;
    record.lastAttemptAt = this.ports.now();
    try {
      await this.ports.deliver(job);
    } catch (error) {
      if (error instanceof DeliveryAbandoned) {
        record.lastError = error.message;
        this.finish(record, 'dropped');
        return;
      }
      const failure =
        error instanceof DeliveryFailure
          ? error
          : new DeliveryFailure('GenericError', (error as Error).message);
      record.lastOutcome = failure.outcome;
      record.lastError = failure.message;
      const expired = this.ports.now() >= expiresAt;
      if (
        FINAL_OUTCOMES.has(failure.outcome) ||
        record.attempts >= job.maxDeliveryAttempts ||
        expired
      ) {
        this.giveUp(
          record,
          expired && record.attempts < job.maxDeliveryAttempts
            ? 'TimeToLiveExceeded'
            : 'MaxDeliveryAttemptsExceeded',
        );
        return;
      }
      const wait = RETRY_SCHEDULE[record.attempts - 1] ?? HOURLY;
      this.schedule(record, wait * this.ports.timeScale, () => {
        this.unschedule(record);
        this.attempt(record);
      });
      return;
    }
    if (record.copies > 1) {
      // At least once: the same event, a second time.
      await this.ports.deliver(job).catch(() => {
        record.copies = 1;
      });
    }
    delete record.lastOutcome;
    delete record.lastError;
    this.finish(record, 'delivered');
    const waiting = this.held.get(job.destination);
    for (const held of [...(waiting ?? [])]) this.release(held);
  }

  private giveUp(record: DeliveryRecord, reason: string): void {
    const { job } = record;
    if (!job.deadLetter) {
      this.finish(record, 'dropped');
      return;
    }
    const deadLettered = {
      ...job.event,
      deadLetterReason: reason,
      deliveryAttempts: record.attempts,
      lastDeliveryOutcome: record.lastOutcome ?? 'GenericError',
      publishTime: new Date(record.publishedAt).toISOString(),
      lastDeliveryAttemptTime: new Date(record.lastAttemptAt ?? record.publishedAt).toISOString(),
    };
    const firstTry = this.ports.now();
    const tryDeadLetter = () => {
      this.unschedule(record);
      this.ports.deadLetter(job, deadLettered).then(
        () => this.finish(record, 'deadLettered'),
        (error: Error) => {
          record.lastError = `dead-lettering failed: ${error.message}`;
          if (error instanceof DeliveryAbandoned) {
            this.finish(record, 'dropped');
            return;
          }
          if (this.ports.now() - firstTry >= DEAD_LETTER_PATIENCE * this.ports.timeScale) {
            this.finish(record, 'dropped');
          } else {
            this.schedule(record, DEAD_LETTER_DELAY * this.ports.timeScale, tryDeadLetter);
          }
        },
      );
    };
    this.schedule(record, DEAD_LETTER_DELAY * this.ports.timeScale, tryDeadLetter);
  }

  private finish(record: DeliveryRecord, status: DeliveryStatus): void {
    if (
      record.status === 'delivered' ||
      record.status === 'deadLettered' ||
      record.status === 'dropped'
    ) {
      return;
    }
    record.status = status;
    this.unschedule(record);
    this.unfinished = Math.max(0, this.unfinished - 1);
    if (this.unfinished === 0) this.wakeIdleWaiters();
  }

  private wakeIdleWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }

  private schedule(record: DeliveryRecord, ms: number, callback: () => void): void {
    this.unschedule(record);
    const handle = this.ports.setTimer
      ? this.ports.setTimer(callback, ms)
      : setTimeout(callback, ms).unref();
    this.timers.set(record, handle);
  }

  private unschedule(record: DeliveryRecord): void {
    const handle = this.timers.get(record);
    if (handle !== undefined) {
      this.clear(handle);
      this.timers.delete(record);
    }
  }

  private clear(handle: unknown): void {
    if (this.ports.clearTimer) this.ports.clearTimer(handle);
    else clearTimeout(handle as NodeJS.Timeout);
  }
}
