/**
 * The app's one notion of time: what time it is, and waiting. Everything that reads the time or
 * sleeps takes a `Clock`, so tests move time by hand instead of waiting for it.
 */
import { abortableDelay } from './retry.js';

export interface Clock {
  now(): Date;
  /** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
  delay(ms: number, signal?: AbortSignal): Promise<void>;
  /** A signal that aborts once `ms` have passed, for budgets on work that may outlast them. */
  timeout(ms: number): AbortSignal;
}

/**
 * Real time.
 *
 * @example
 * const expiresAt = new Date(systemClock.now().getTime() + ttlMs);
 */
export const systemClock: Clock = {
  now: () => new Date(),
  delay: abortableDelay,
  timeout: (ms) => AbortSignal.timeout(ms),
};
