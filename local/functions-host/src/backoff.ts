import type { RpcDuration, RpcRetryOptions } from './coreContract.js';

/** The queue listener's first delay after an empty poll, as in the queues extension. */
export const minimumPollingInterval = 100;

/**
 * The next delay before polling an empty queue again: doubling from the minimum up to
 * `maxPollingInterval`. A poll that found messages resets the delay to zero.
 *
 * @example
 * nextPollingDelay(0, 2000); // 100
 * nextPollingDelay(1600, 2000); // 2000
 */
export function nextPollingDelay(current: number, maxPollingInterval: number): number {
  const doubled = current <= 0 ? minimumPollingInterval : current * 2;
  return Math.min(doubled, Math.max(maxPollingInterval, minimumPollingInterval));
}

function toMs(duration: RpcDuration | null | undefined): number {
  if (!duration) return 0;
  return (duration.seconds ?? 0) * 1000 + Math.round((duration.nanos ?? 0) / 1e6);
}

/**
 * The delay before retry number `retryCount` (1 for the first retry) under a function's retry
 * policy, or undefined when the policy allows no more retries. A `maxRetryCount` of -1 retries
 * forever.
 *
 * @example
 * retryDelay({ retryStrategy: 'fixedDelay', maxRetryCount: 2, delayInterval: { seconds: 1 } }, 1); // 1000
 */
export function retryDelay(policy: RpcRetryOptions, retryCount: number): number | undefined {
  const max = policy.maxRetryCount ?? 0;
  if (max !== -1 && retryCount > max) return undefined;
  if (policy.retryStrategy === 'exponentialBackoff') {
    const minimum = toMs(policy.minimumInterval);
    const maximum = toMs(policy.maximumInterval);
    return Math.min(minimum * 2 ** (retryCount - 1), maximum);
  }
  return toMs(policy.delayInterval);
}
