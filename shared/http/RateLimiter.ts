/**
 * A token bucket per caller, so one script cannot starve everyone else: each caller may burst
 * `burst` writes, then is paced to `perMinute`. Buckets live in the process (each instance of the
 * app paces on its own), and the least recently used are forgotten past `maxCallers`.
 */
import type { Clock } from '../clock.js';

export interface RateLimitDecision {
  allowed: boolean;
  /** When the next write would be allowed, for `Retry-After`. */
  retryAfterMs: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly refillPerMs: number;

  constructor(
    private readonly options: {
      burst: number;
      perMinute: number;
      clock: Clock;
      maxCallers?: number;
    },
  ) {
    this.refillPerMs = options.perMinute / 60_000;
  }

  /**
   * Takes one token from the caller's bucket.
   *
   * @example
   * const { allowed, retryAfterMs } = limiter.take(caller.id);
   */
  take(caller: string): RateLimitDecision {
    const now = this.options.clock.now().getTime();
    const previous = this.buckets.get(caller);
    const tokens = previous
      ? Math.min(this.options.burst, previous.tokens + (now - previous.at) * this.refillPerMs)
      : this.options.burst;
    this.buckets.delete(caller);
    if (tokens < 1) {
      this.buckets.set(caller, { tokens, at: now });
      return { allowed: false, retryAfterMs: Math.ceil((1 - tokens) / this.refillPerMs) };
    }
    this.buckets.set(caller, { tokens: tokens - 1, at: now });
    if (this.buckets.size > (this.options.maxCallers ?? 10_000)) {
      this.buckets.delete(this.buckets.keys().next().value!);
    }
    return { allowed: true, retryAfterMs: 0 };
  }
}
