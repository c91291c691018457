/** One look at something that takes a while, and when the API wants to be asked again. */
export interface Observation<T> {
  value: T;
  /** From `Retry-After`; the caller's default when the API named none. */
  retryAfterMs?: number;
}

export interface FollowOptions<T> {
  /** Looks once. */
  poll: () => Promise<Observation<T>>;
  /** Whether it has ended (in success or failure). */
  isDone: (value: T) => boolean;
  /** Sees every observation, the last included. */
  onUpdate?: (value: T) => void;
  /** Wait between looks when the API names none. */
  defaultIntervalMs: number;
  /** A look that failed this way is tried again after `retryDelayMs` (throttling, a 5xx). */
  retryable?: (error: unknown) => boolean;
  retryDelayMs?: number;
  /** Gives up (throws `FollowTimeoutError`) once this much time has passed. */
  timeoutMs?: number;
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

/** `--timeout` passed before the thing followed ended. */
export class FollowTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`Still not done after ${Math.round(timeoutMs / 1000)} s.`);
    this.name = 'FollowTimeoutError';
  }
}

/** Ctrl-C while following. */
export class FollowInterruptedError extends Error {
  constructor() {
    super('Stopped waiting.');
    this.name = 'FollowInterruptedError';
  }
}

const realSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * Looks at something until it has ended, as often as the API asks (`Retry-After`), and answers
 * its last state. Time and sleeping are injected, so tests never wait.
 *
 * @example
 * const operation = await follow({
 *   poll: async () => { const { body, headers } = await api.operation(id); return { value: body, retryAfterMs: retryAfterMs(headers, 2_000) }; },
 *   isDone: (o) => o.status === 'succeeded' || o.status === 'failed',
 *   defaultIntervalMs: 2_000,
 * });
 */
export async function follow<T>(options: FollowOptions<T>): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const deadline = options.timeoutMs === undefined ? undefined : now() + options.timeoutMs;
  for (;;) {
    if (options.signal?.aborted) throw new FollowInterruptedError();
    let wait: number;
    try {
      const { value, retryAfterMs } = await options.poll();
      options.onUpdate?.(value);
      if (options.isDone(value)) return value;
      wait = retryAfterMs ?? options.defaultIntervalMs;
    } catch (error) {
      if (!options.retryable?.(error)) throw error;
      wait = options.retryDelayMs ?? options.defaultIntervalMs;
    }
    if (deadline !== undefined) {
      const left = deadline - now();
      if (left <= 0) throw new FollowTimeoutError(options.timeoutMs!);
      wait = Math.min(wait, left);
    }
    await sleep(wait, options.signal);
  }
}
