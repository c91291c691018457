import { describe, expect, it } from 'vitest';
import { FollowInterruptedError, FollowTimeoutError, follow } from '../../../cli/follow.js';

/** A clock that moves only when the follower sleeps. */
function fakeTime() {
  let now = 0;
  const slept: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
    slept,
  };
}

describe('follow', () => {
  it('waits as long as each answer asks, then answers the last state', async () => {
    // Prepare
    const time = fakeTime();
    const answers = [
      { value: 'queued', retryAfterMs: 2_000 },
      { value: 'running', retryAfterMs: 5_000 },
      { value: 'running' },
      { value: 'succeeded' },
    ];
    const seen: string[] = [];

    // Act
    const last = await follow({
      poll: async () => answers.shift()!,
      isDone: (v) => v === 'succeeded',
      onUpdate: (v) => seen.push(v),
      defaultIntervalMs: 1_000,
      sleep: time.sleep,
      now: time.now,
    });

    // Assess
    expect(last).toBe('succeeded');
    expect(time.slept).toEqual([2_000, 5_000, 1_000]);
    expect(seen).toEqual(['queued', 'running', 'running', 'succeeded']);
  });

  it('gives up once the timeout has passed, never sleeping beyond it', async () => {
    // Prepare
    const time = fakeTime();

    // Act
    const error = await follow({
      poll: async () => ({ value: 'running', retryAfterMs: 4_000 }),
      isDone: () => false,
      defaultIntervalMs: 1_000,
      timeoutMs: 10_000,
      sleep: time.sleep,
      now: time.now,
    }).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(FollowTimeoutError);
    expect((error as Error).message).toBe('Still not done after 10 s.');
    expect(time.slept).toEqual([4_000, 4_000, 2_000]);
  });

  it('looks again after a passing failure, and throws any other', async () => {
    // Prepare
    const time = fakeTime();
    const answers: Array<() => { value: string }> = [
      () => {
        throw new Error('throttled');
      },
      () => ({ value: 'done' }),
      () => {
        throw new Error('gone');
      },
    ];
    const options = {
      poll: async () => answers.shift()!(),
      isDone: (v: string) => v === 'done',
      defaultIntervalMs: 1_000,
      retryable: (e: unknown) => (e as Error).message === 'throttled',
      retryDelayMs: 5_000,
      sleep: time.sleep,
      now: time.now,
    };

    // Act
    const first = await follow(options);
    const second = await follow(options).catch((e: unknown) => e);

    // Assess
    expect(first).toBe('done');
    expect(time.slept).toEqual([5_000]);
    expect((second as Error).message).toBe('gone');
  });

  it('stops when interrupted', async () => {
    // Prepare
    const controller = new AbortController();
    const time = fakeTime();

    // Act
    const error = await follow({
      poll: async () => {
        controller.abort();
        return { value: 'running' };
      },
      isDone: () => false,
      defaultIntervalMs: 1_000,
      signal: controller.signal,
      sleep: time.sleep,
      now: time.now,
    }).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(FollowInterruptedError);
  });
});
