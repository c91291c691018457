/**
 * Pacing of ARM requests by ARM's own signals. ARM throttles each subscription with token buckets,
 * one per kind of request (reads, writes, deletes), and reports what is left in every answer
 * (`x-ms-ratelimit-remaining-subscription-reads: 249`, and the `…-global-…` bucket beside it); an
 * empty bucket answers 429 with `Retry-After`. The pacer keeps an estimate of each bucket, lowers
 * it to what ARM reports, and makes a request wait for its token instead of drawing a 429, so
 * work near the limit runs at the limit's pace and fails nothing. Subscriptions are independent.
 *
 * Source: MicrosoftDocs/azure-docs, articles/azure-resource-manager/management/
 * request-limits-and-throttling.md (the token bucket algorithm: per subscription and region,
 * reads 250 refilled at 25 per second, writes and deletes 200 at 10 per second).
 */
import { type Clock, systemClock } from '../clock.js';

export type ArmRequestKind = 'reads' | 'writes' | 'deletes';

/**
 * Whose budget a request spends. `foreground`: work someone waits for (provisioning, teardown, a
 * request); it may draw each bucket down to the reserve left to others. `background`: work that
 * can wait (cleanup runs); it draws only from the top of each bucket, above its background floor,
 * and yields every token below that to the foreground, so a cleanup run never starves a sandbox
 * being provisioned.
 */
export type ArmRequestShare = 'foreground' | 'background';

/**
 * The part of each bucket background work leaves to the foreground: it sends only while more than
 * this fraction of the bucket's capacity is left. Reads and writes keep half (125 of 250, 100 of
 * 200): provisioning builds with them, and its long-running operations poll with reads. Deletes
 * keep a quarter (50 of 200): in the foreground they are only teardowns, which people ask for one
 * at a time, so 40 at once (above the 5% left to others) is ample, and a cleanup run, which is
 * nearly all deletes, may start with 150.
 */
export const BACKGROUND_FLOOR_FRACTIONS: Readonly<Record<ArmRequestKind, number>> = {
  reads: 0.5,
  writes: 0.5,
  deletes: 0.25,
};

export interface ArmBucketLimit {
  capacity: number;
  refillPerSecond: number;
}

/** ARM's default limits per subscription and region. */
export const ARM_SUBSCRIPTION_LIMITS: Readonly<Record<ArmRequestKind, ArmBucketLimit>> = {
  reads: { capacity: 250, refillPerSecond: 25 },
  writes: { capacity: 200, refillPerSecond: 10 },
  deletes: { capacity: 200, refillPerSecond: 10 },
};

/**
 * The kind of bucket a request draws from, as ARM counts them.
 *
 * @example
 * armRequestKind('HEAD'); // 'reads'
 */
export function armRequestKind(method: string): ArmRequestKind {
  const m = method.toUpperCase();
  if (m === 'GET' || m === 'HEAD') return 'reads';
  if (m === 'DELETE') return 'deletes';
  return 'writes';
}

/** What an answer said about the bucket it drew from. */
export interface ArmBucketSignal {
  status: number;
  /** `x-ms-ratelimit-remaining-subscription-{kind}`. */
  remaining?: number;
  /** `x-ms-ratelimit-remaining-subscription-global-{kind}`. */
  globalRemaining?: number;
  /** `Retry-After` of a 429, in milliseconds. */
  retryAfterMs?: number;
}

export interface ArmRequestPacerOptions {
  clock?: Clock;
  limits?: Partial<Record<ArmRequestKind, ArmBucketLimit>>;
  /**
   * Tokens left to others (people in the portal, other tools), per kind. Default: 5% of the
   * capacity, rounded up.
   */
  reserve?: Partial<Record<ArmRequestKind, number>>;
  /** The fraction of each bucket background work leaves. Default `BACKGROUND_FLOOR_FRACTIONS`. */
  backgroundFloorFraction?: Partial<Record<ArmRequestKind, number>>;
}

/** A request that holds a token: report ARM's answer, or that none came. */
export interface ArmRequestTicket {
  /** Lowers the estimate to what ARM reported; a 429 also stops the bucket for `Retry-After`. */
  settle(signal: ArmBucketSignal): void;
  /** No answer (a network failure, a cancellation): nothing is learned. */
  abandon(): void;
}

class Bucket {
  /** Tokens estimated left, minus those promised to requests still waiting (may be negative). */
  tokens: number;
  updatedAt: number;
  /** No request before this instant (after a 429). */
  blockedUntil = 0;
  /** Requests that hold a token and wait for their turn. */
  waiting = 0;
  /** Requests sent and not yet answered, by send order. */
  readonly inFlight = new Set<number>();
  /** The latest request whose answer set the estimate. */
  learnedFrom = 0;
  /**
   * How far, in total, news from ARM has pushed back every waiting request's turn (ms): a
   * waiter whose turn moved while it slept sleeps the difference.
   */
  pushedBackMs = 0;

  /** Background requests let go in turn: each waits for the one before it to get its token. */
  backgroundTurn: Promise<void> = Promise.resolve();

  constructor(
    readonly limit: ArmBucketLimit,
    readonly reserve: number,
    /** Background requests go only while more tokens than this are left. */
    readonly backgroundFloor: number,
    now: number,
  ) {
    this.tokens = limit.capacity;
    this.updatedAt = now;
  }

  refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.limit.capacity, this.tokens + elapsed * this.limit.refillPerSecond);
    this.updatedAt = now;
  }
}

/**
 * @example
 * const pacer = new ArmRequestPacer();
 * const ticket = await pacer.acquire('sub-1', 'deletes', signal);
 * const response = await send();
 * ticket.settle({ status: response.status, remaining: 187 });
 */
export class ArmRequestPacer {
  private readonly clock: Clock;
  private readonly buckets = new Map<string, Bucket>();
  private sent = 0;

  constructor(private readonly options: ArmRequestPacerOptions = {}) {
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Waits until a request of `kind` may go to the subscription without exceeding its bucket (at
   * once while the bucket is well filled), then hands out a ticket for the answer. A `background`
   * request waits, in turn with the other background requests, until the bucket holds more than
   * its background floor; foreground requests never wait behind it.
   */
  async acquire(
    subscriptionId: string,
    kind: ArmRequestKind,
    signal?: AbortSignal,
    share: ArmRequestShare = 'foreground',
  ): Promise<ArmRequestTicket> {
    const bucket = this.bucket(subscriptionId, kind);
    if (share === 'background') await this.awaitBackgroundToken(bucket, signal);
    else await this.awaitToken(bucket, signal);
    return this.ticket(bucket);
  }

  /** Takes a token from the estimate at once and waits for it to be there (foreground). */
  private async awaitToken(bucket: Bucket, signal: AbortSignal | undefined): Promise<void> {
    let now = this.clock.now().getTime();
    bucket.refill(now);
    bucket.tokens -= 1;
    const deficit = bucket.reserve - bucket.tokens;
    let waitMs = Math.max(
      bucket.blockedUntil - now,
      deficit > 0 ? Math.ceil((deficit / bucket.limit.refillPerSecond) * 1000) : 0,
    );
    let pushedBack = bucket.pushedBackMs;
    while (waitMs > 0) {
      bucket.waiting += 1;
      try {
        await this.clock.delay(waitMs, signal);
      } catch (error) {
        bucket.tokens += 1;
        throw error;
      } finally {
        bucket.waiting -= 1;
      }
      // While this request slept, ARM may have said there were fewer tokens than estimated (others
      // spent them) or stopped the bucket (a 429): then its turn has moved back.
      now = this.clock.now().getTime();
      waitMs = Math.max(bucket.blockedUntil - now, bucket.pushedBackMs - pushedBack);
      pushedBack = bucket.pushedBackMs;
    }
  }

  /**
   * Waits for this request's turn among background requests, then until the bucket holds more
   * than its background floor, and only then takes the token. Nothing is promised while it
   * waits, so a foreground request that comes meanwhile takes its token first.
   */
  private async awaitBackgroundToken(
    bucket: Bucket,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const before = bucket.backgroundTurn;
    let release: () => void = () => {};
    bucket.backgroundTurn = new Promise((resolve) => {
      release = resolve;
    });
    try {
      await abortable(before, signal);
    } catch (error) {
      // Those behind this request still wait for the ones before it.
      void before.then(release);
      throw error;
    }
    try {
      for (;;) {
        signal?.throwIfAborted();
        const now = this.clock.now().getTime();
        bucket.refill(now);
        const deficit = bucket.backgroundFloor + 1 - bucket.tokens;
        const waitMs = Math.max(
          bucket.blockedUntil - now,
          deficit > 0 ? Math.ceil((deficit / bucket.limit.refillPerSecond) * 1000) : 0,
        );
        if (waitMs <= 0) break;
        await this.clock.delay(waitMs, signal);
      }
      bucket.tokens -= 1;
    } finally {
      release();
    }
  }

  private ticket(bucket: Bucket): ArmRequestTicket {
    const sequence = ++this.sent;
    bucket.inFlight.add(sequence);
    let open = true;
    const close = () => {
      if (!open) return false;
      open = false;
      bucket.inFlight.delete(sequence);
      return true;
    };
    return {
      settle: (answer) => {
        if (!close()) return;
        this.learn(bucket, sequence, answer);
      },
      abandon: () => void close(),
    };
  }

  private learn(bucket: Bucket, sequence: number, answer: ArmBucketSignal): void {
    const now = this.clock.now().getTime();
    bucket.refill(now);
    // Requests sent after this one may not be counted in ARM's figure yet; those waiting for
    // their turn already took theirs from the estimate.
    let uncounted = 0;
    for (const other of bucket.inFlight) if (other > sequence) uncounted += 1;
    const reported = [answer.remaining, answer.globalRemaining].filter(
      (n): n is number => n !== undefined && Number.isFinite(n),
    );
    const before = bucket.tokens;
    if (answer.status === 429) {
      bucket.tokens = Math.min(bucket.tokens, -uncounted - bucket.waiting);
      const retryAfterMs = answer.retryAfterMs ?? 1_000;
      bucket.blockedUntil = Math.max(bucket.blockedUntil, now + retryAfterMs);
    } else if (reported.length > 0 && sequence > bucket.learnedFrom) {
      // ARM's figure wins over the estimate, both ways, unless a later answer has spoken already.
      bucket.learnedFrom = sequence;
      bucket.tokens = Math.min(
        bucket.limit.capacity,
        Math.min(...reported) - uncounted - bucket.waiting,
      );
    }
    if (bucket.tokens < before) {
      bucket.pushedBackMs += Math.ceil(
        ((before - bucket.tokens) / bucket.limit.refillPerSecond) * 1000,
      );
    }
  }

  private bucket(subscriptionId: string, kind: ArmRequestKind): Bucket {
    const key = `${subscriptionId.toLowerCase()}/${kind}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      const limit = this.options.limits?.[kind] ?? ARM_SUBSCRIPTION_LIMITS[kind];
      const reserve = this.options.reserve?.[kind] ?? Math.ceil(limit.capacity / 20);
      const floor = Math.ceil(
        limit.capacity *
          (this.options.backgroundFloorFraction?.[kind] ?? BACKGROUND_FLOOR_FRACTIONS[kind]),
      );
      bucket = new Bucket(limit, reserve, Math.max(reserve, floor), this.clock.now().getTime());
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}

/** `promise`, or the signal's reason once it aborts first. */
function abortable(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, reject);
  });
}
