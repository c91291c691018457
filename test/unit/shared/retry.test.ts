import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError, AzureRequestError } from '../../../shared/errors.js';
import { abortableDelay, backoffDelay, withRetry } from '../../../shared/retry.js';
import { FakeClock } from '../../support/fakes/FakeClock.js';

const transient = (retryAfterMs?: number) =>
  new AzureRequestError({
    kind: 'transient',
    code: 'TooManyRequests',
    status: 429,
    message: 'slow down',
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
const permanent = () => new AppError('no', { kind: 'permanent', code: 'ScopeLocked' });

/** A function that fails with each given error in turn, then returns 'ok'. */
function failing(...errors: unknown[]) {
  const fn = vi.fn(async () => {
    const next = errors.shift();
    if (next !== undefined) throw next;
    return 'ok';
  });
  return fn;
}

function recorder() {
  const clock = new FakeClock();
  return { delays: clock.delays, clock };
}

describe('backoffDelay', () => {
  it.each([
    { attempt: 1, random: 0.5, expected: 50 },
    { attempt: 2, random: 0.5, expected: 100 },
    { attempt: 3, random: 0.5, expected: 200 },
    { attempt: 3, random: 0, expected: 0 },
    { attempt: 3, random: 0.999, expected: 399 },
    { attempt: 20, random: 0.5, expected: 500 },
  ])('attempt $attempt with random $random waits $expected ms', ({ attempt, random, expected }) => {
    // Act
    const ms = backoffDelay(attempt, { baseDelayMs: 100, maxDelayMs: 1000, random: () => random });

    // Assess
    expect(ms).toBe(expected);
  });

  it('uses Retry-After instead of the jittered backoff', () => {
    // Act & Assess
    expect(
      backoffDelay(1, { baseDelayMs: 100, maxDelayMs: 1000, random: () => 0, retryAfterMs: 700 }),
    ).toBe(700);
  });
});

describe('withRetry', () => {
  it('returns the first success without waiting', async () => {
    // Prepare
    const fn = failing();
    const { delays, clock } = recorder();

    // Act
    const result = await withRetry(fn, { clock });

    // Assess
    expect(result).toBe('ok');
    expect(fn).toHaveBeenCalledTimes(1);
    expect(delays).toEqual([]);
  });

  it('retries transient failures with exponential full-jitter backoff', async () => {
    // Prepare
    const fn = failing(transient(), transient(), transient());
    const { delays, clock } = recorder();

    // Act
    const result = await withRetry(fn, { clock, baseDelayMs: 100, random: () => 0.5 });

    // Assess
    expect(result).toBe('ok');
    expect(fn).toHaveBeenCalledTimes(4);
    expect(delays).toEqual([50, 100, 200]);
  });

  it('honours Retry-After', async () => {
    // Prepare
    const fn = failing(transient(3000), transient());
    const { delays, clock } = recorder();

    // Act
    await withRetry(fn, { clock, baseDelayMs: 100, random: () => 0.5 });

    // Assess
    expect(delays).toEqual([3000, 100]);
  });

  it('does not retry a permanent failure', async () => {
    // Prepare
    const error = permanent();
    const fn = failing(error);
    const { delays, clock } = recorder();

    // Act
    const outcome = withRetry(fn, { clock });

    // Assess
    await expect(outcome).rejects.toBe(error);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(delays).toEqual([]);
  });

  it('rethrows the last error when the attempts run out', async () => {
    // Prepare
    const last = transient();
    const fn = failing(transient(), transient(), last);
    const { clock } = recorder();

    // Act
    const outcome = withRetry(fn, { clock, maxAttempts: 3 });

    // Assess
    await expect(outcome).rejects.toBe(last);
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('gives up rather than wait past maxElapsedMs', async () => {
    // Prepare
    const clock = new FakeClock(new Date(0));
    const fn = failing(transient(400), transient(400), transient(400));

    // Act
    const outcome = withRetry(fn, { clock, maxElapsedMs: 1000 });

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(AzureRequestError);
    expect(fn).toHaveBeenCalledTimes(3);
    expect(clock.now().getTime()).toBe(800);
  });

  it('gives up when the server asks for a longer wait than maxDelayMs', async () => {
    // Prepare
    const fn = failing(transient(120_000));
    const { delays, clock } = recorder();

    // Act
    const outcome = withRetry(fn, { clock, maxDelayMs: 60_000 });

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(AzureRequestError);
    expect(delays).toEqual([]);
  });

  it('asks shouldRetry and reports each retry', async () => {
    // Prepare
    const fn = failing(permanent());
    const onRetry = vi.fn();
    const { clock } = recorder();

    // Act
    const result = await withRetry(fn, {
      clock,
      shouldRetry: () => true,
      onRetry,
      random: () => 0,
    });

    // Assess
    expect(result).toBe('ok');
    expect(onRetry).toHaveBeenCalledWith(
      expect.objectContaining({
        attempt: 1,
        delayMs: 0,
        classification: expect.objectContaining({ code: 'ScopeLocked' }),
      }),
    );
  });

  it('stops when the signal aborts during a wait', async () => {
    // Prepare
    const controller = new AbortController();
    const fn = failing(transient(), transient());
    const clock = new FakeClock();
    clock.delay = async (_ms: number, signal?: AbortSignal) => {
      controller.abort(new Error('shutting down'));
      signal?.throwIfAborted();
    };

    // Act
    const outcome = withRetry(fn, { clock, signal: controller.signal });

    // Assess
    await expect(outcome).rejects.toThrow('shutting down');
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('does not start when the signal is already aborted', async () => {
    // Prepare
    const fn = failing();

    // Act
    const outcome = withRetry(fn, { signal: AbortSignal.abort(new Error('late')) });

    // Assess
    await expect(outcome).rejects.toThrow('late');
    expect(fn).not.toHaveBeenCalled();
  });
});

describe('abortableDelay', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves after the delay', async () => {
    // Prepare
    vi.useFakeTimers();
    let done = false;

    // Act
    const waiting = abortableDelay(1000).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(999);
    const early = done;
    await vi.advanceTimersByTimeAsync(1);
    await waiting;

    // Assess
    expect(early).toBe(false);
    expect(done).toBe(true);
  });

  it('rejects with the reason as soon as the signal aborts', async () => {
    // Prepare
    vi.useFakeTimers();
    const controller = new AbortController();

    // Act
    const waiting = abortableDelay(60_000, controller.signal);
    controller.abort(new Error('stop'));

    // Assess
    await expect(waiting).rejects.toThrow('stop');
    expect(vi.getTimerCount()).toBe(0);
  });
});
