import { describe, expect, it } from 'vitest';
import { nextPollingDelay, retryDelay } from '../../src/backoff.js';

describe('nextPollingDelay', () => {
  it.each([
    [0, 2000, 100],
    [100, 2000, 200],
    [800, 2000, 1600],
    [1600, 2000, 2000],
    [2000, 2000, 2000],
    [0, 50, 100],
  ])('after %ims with a maximum of %ims waits %ims', (current, max, next) => {
    expect(nextPollingDelay(current, max)).toBe(next);
  });
});

describe('retryDelay', () => {
  const fixed = {
    retryStrategy: 'fixedDelay' as const,
    maxRetryCount: 2,
    delayInterval: { seconds: 1, nanos: 500_000_000 },
  };
  const exponential = {
    retryStrategy: 'exponentialBackoff' as const,
    maxRetryCount: 5,
    minimumInterval: { seconds: 1 },
    maximumInterval: { seconds: 5 },
  };

  it.each([
    ['fixed, retry 1', fixed, 1, 1500],
    ['fixed, retry 2', fixed, 2, 1500],
    ['fixed, retry 3 (exhausted)', fixed, 3, undefined],
    ['exponential, retry 1', exponential, 1, 1000],
    ['exponential, retry 2', exponential, 2, 2000],
    ['exponential, retry 3', exponential, 3, 4000],
    ['exponential, retry 4 (capped)', exponential, 4, 5000],
    ['exponential, retry 6 (exhausted)', exponential, 6, undefined],
    ['forever', { ...fixed, maxRetryCount: -1 }, 1000, 1500],
  ])('%s → %s', (_name, policy, retryCount, delay) => {
    expect(retryDelay(policy, retryCount)).toBe(delay);
  });
});
