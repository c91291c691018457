import type { ThrottlingLimits } from './EmulatorOptions.js';
import { TokenBucket } from './TokenBucket.js';

export type RequestKind = 'reads' | 'writes' | 'deletes';

export function requestKindOf(method: string): RequestKind {
  if (method === 'GET' || method === 'HEAD') return 'reads';
  if (method === 'DELETE') return 'deletes';
  return 'writes';
}

/**
 * ARM's throttling: one token bucket per subscription and request kind.
 *
 * @example
 * const result = throttle.take('sub', 'reads', Date.now());
 * // { allowed: true, remaining: 249 }
 */
export class SubscriptionThrottle {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(readonly limits: ThrottlingLimits) {}

  take(
    subscriptionId: string,
    kind: RequestKind,
    now: number,
  ): { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number } {
    const key = `${subscriptionId}/${kind}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      const limit = this.limits[kind];
      bucket = new TokenBucket(limit.capacity, limit.refillPerSecond, now);
      this.buckets.set(key, bucket);
    }
    if (bucket.take(now)) return { allowed: true, remaining: bucket.remaining(now) };
    return { allowed: false, retryAfterSeconds: bucket.secondsUntilToken(now) };
  }
}
