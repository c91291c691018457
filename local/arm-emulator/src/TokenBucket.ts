/**
 * A token bucket: `capacity` tokens, refilled continuously at `refillPerSecond`.
 *
 * @example
 * const reads = new TokenBucket(250, 25, Date.now());
 * if (!reads.take(Date.now())) answer429(reads.secondsUntilToken(Date.now()));
 */
export class TokenBucket {
  private tokens: number;

  constructor(
    readonly capacity: number,
    readonly refillPerSecond: number,
    private updatedAt: number,
  ) {
    this.tokens = capacity;
  }

  take(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  remaining(now: number): number {
    this.refill(now);
    return Math.floor(this.tokens);
  }

  /** Whole seconds until the next token, at least 1: what `Retry-After` honestly says. */
  secondsUntilToken(now: number): number {
    this.refill(now);
    const missing = 1 - this.tokens;
    if (missing <= 0) return 0;
    return Math.max(1, Math.ceil(missing / this.refillPerSecond));
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.refillPerSecond);
    this.updatedAt = now;
  }
}
