import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../src/TokenBucket.js';

describe('TokenBucket', () => {
  it('allows the capacity, then refuses', () => {
    const bucket = new TokenBucket(2, 1, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([true, true, false]);
  });

  it('refills at the rate, up to the capacity', () => {
    const bucket = new TokenBucket(2, 10, 0);
    bucket.take(0);
    bucket.take(0);
    expect(bucket.remaining(100)).toBe(1);
    expect(bucket.remaining(10_000)).toBe(2);
  });

  it.each([
    [25, 1],
    [1, 1],
    [0.25, 4],
  ])('at %s tokens a second, an empty bucket says to retry after %s s', (rate, seconds) => {
    const bucket = new TokenBucket(1, rate, 0);
    bucket.take(0);
    expect(bucket.secondsUntilToken(0)).toBe(seconds);
  });
});
