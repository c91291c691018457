import type { ThrottlingLimits } from './EmulatorOptions.js';
import { TokenBucket } from './TokenBucket.js';

export type RequestKind = 'reads' | 'writes' | 'deletes';

export function requestKindOf(method: string): RequestKind {
  if (method === 'GET' || method === 'HEAD') return 'reads';
  if (method === 'DELETE') return 'deletes';
  return 'writes';
}

/**
 * The subscription's global buckets against its regional ones: 3750 reads, 3000 writes and 3000
 * deletes against 250, 200 and 200, as recorded ARM answers report them
 * (`x-ms-ratelimit-remaining-subscription-global-reads: 3749` beside `…-reads: 249`; Azure/azure-sdk-assets,
 * js/sdk/storage/arm-storage/recordings/node/storage_test/recording_storageaccounts_create_test.json).
 * Refill keeps the same ratio. The emulator serves one region, so both count every request.
 */
export const GLOBAL_BUCKET_FACTOR = 15;

export type ThrottleResult =
  | { allowed: true; remaining: number; globalRemaining: number }
  | { allowed: false; retryAfterSeconds: number; globalRemaining: number };

/**
 * ARM's throttling: token buckets per subscription and request kind, regional and global.
 *
 * @example
 * const result = throttle.take('sub', 'reads', Date.now());
 * // { allowed: true, remaining: 249, globalRemaining: 3749 }
 */
export class SubscriptionThrottle {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(readonly limits: ThrottlingLimits) {}

  take(subscriptionId: string, kind: RequestKind, now: number): ThrottleResult {
    const regional = this.bucket(`${subscriptionId}/${kind}`, kind, 1, now);
    const global = this.bucket(`${subscriptionId}/${kind}/global`, kind, GLOBAL_BUCKET_FACTOR, now);
    if (regional.take(now) && global.take(now)) {
      return {
        allowed: true,
        remaining: regional.remaining(now),
        globalRemaining: global.remaining(now),
      };
    }
    return {
      allowed: false,
      retryAfterSeconds: Math.max(
        1,
        regional.secondsUntilToken(now),
        global.secondsUntilToken(now),
      ),
      globalRemaining: global.remaining(now),
    };
  }

  private bucket(key: string, kind: RequestKind, factor: number, now: number): TokenBucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      const limit = this.limits[kind];
      bucket = new TokenBucket(limit.capacity * factor, limit.refillPerSecond * factor, now);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}
