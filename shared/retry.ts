/**
 * Retrying a call that may fail transiently: exponential backoff with full jitter, honouring the
 * server's `Retry-After`. The one home of backoff in the app; the SDK pipelines keep their own
 * short retries for single requests, this wraps whole steps.
 */
import type { Clock } from './clock.js';
import { classifyError, type ErrorClassification } from './errors.js';

export interface RetryAttempt {
  /** 1 for the first retry. */
  attempt: number;
  delayMs: number;
  error: unknown;
  classification: ErrorClassification;
}

export interface RetryOptions {
  /** Total tries including the first. Default 5. */
  maxAttempts?: number;
  /** Stop retrying once this much time has passed since the first try (ms). Default: no limit. */
  maxElapsedMs?: number;
  /** Backoff base: the cap of the first retry's delay (ms). Default 500. */
  baseDelayMs?: number;
  /** The largest backoff delay, and the largest `Retry-After` we accept (ms). Default 60 000. */
  maxDelayMs?: number;
  /** Decides whether a failure is worth another try. Default: `classifyError(err).kind === 'transient'`. */
  shouldRetry?: (error: unknown, classification: ErrorClassification) => boolean;
  /** Called before each wait, for logging. */
  onRetry?: (attempt: RetryAttempt) => void;
  signal?: AbortSignal;
  /** Whose time to wait and to measure with. Default: real time. */
  clock?: Clock;
  /** Injected for tests: a number in [0, 1). Default `Math.random`. */
  random?: () => number;
}

/**
 * The app's retry policies, by what is being retried. Callers pick one by name and add only
 * their clock and signal, so the same kind of call is retried the same way everywhere.
 *
 * @example
 * await withRetry(() => groups.get(sub, name), { ...retryPolicies.armRead, clock, signal });
 */
export const retryPolicies = {
  /**
   * A read of ARM inside a step (a group, its locks, a listing). The SDK pipeline already retries
   * single requests, so a few whole tries are enough; a `Retry-After` over 30 s ends them.
   */
  armRead: { maxAttempts: 4, maxDelayMs: 30_000 },
  /** Sending the message of work that was just recorded: quick, because a caller is waiting. */
  enqueue: { maxAttempts: 3, baseDelayMs: 200 },
} as const satisfies Record<string, RetryOptions>;

/**
 * The delay before retry number `attempt` (1-based): full jitter over an exponential cap, or the
 * server's `Retry-After` when it gave one (never less than the server asked).
 *
 * @example
 * backoffDelay(3, { baseDelayMs: 100, maxDelayMs: 10_000, random: () => 0.5 }); // 200 (half of 400)
 */
export function backoffDelay(
  attempt: number,
  options: { baseDelayMs: number; maxDelayMs: number; random: () => number; retryAfterMs?: number },
): number {
  if (options.retryAfterMs !== undefined) return options.retryAfterMs;
  const cap = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(options.random() * cap);
}

/**
 * Calls `fn` until it succeeds, fails permanently, or the attempts or time run out; then rethrows
 * the last error unchanged (callers classify it with `classifyError`).
 *
 * @example
 * const group = await withRetry(() => groups.get(sub, name), { maxAttempts: 4, signal });
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  const random = options.random ?? Math.random;
  const now = () => (options.clock ? options.clock.now().getTime() : Date.now());
  const clock = options.clock;
  const delay = clock ? (ms: number, s?: AbortSignal) => clock.delay(ms, s) : abortableDelay;
  const shouldRetry = options.shouldRetry ?? ((_e, c) => c.kind === 'transient');
  const started = now();

  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const classification = classifyError(error, now);
      if (attempt >= maxAttempts || !shouldRetry(error, classification)) throw error;
      // A server that asks for more than we are willing to wait gets no retry from us.
      if (classification.retryAfterMs !== undefined && classification.retryAfterMs > maxDelayMs) {
        throw error;
      }
      const delayMs = backoffDelay(attempt, {
        baseDelayMs,
        maxDelayMs,
        random,
        retryAfterMs: classification.retryAfterMs,
      });
      if (options.maxElapsedMs !== undefined && now() - started + delayMs > options.maxElapsedMs) {
        throw error;
      }
      options.onRetry?.({ attempt, delayMs, error, classification });
      await delay(delayMs, options.signal);
    }
  }
}

/**
 * Waits `ms`, rejecting with the signal's reason as soon as it aborts.
 *
 * @example
 * await abortableDelay(1000, AbortSignal.timeout(50)); // rejects after 50 ms
 */
export function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
