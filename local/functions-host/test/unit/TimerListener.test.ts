import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FunctionInvoker, InvocationRequest } from '../../src/FunctionInvoker.js';
import type { RegisteredFunction } from '../../src/FunctionRegistry.js';
import { HostLogger } from '../../src/HostLogger.js';
import { parseSchedule } from '../../src/parseSchedule.js';
import { InMemoryScheduleStatusStore } from '../../src/ScheduleStatusStore.js';
import { TimerListener } from '../../src/TimerListener.js';

const fn: RegisteredFunction = { metadata: { name: 'tick', bindings: {} }, callback: () => {} };

function fakeInvoker(fail = 0) {
  const requests: InvocationRequest[] = [];
  let failures = fail;
  const invoker = {
    invoke: async (request: InvocationRequest) => {
      requests.push(request);
      const error = failures-- > 0 ? new Error('fails') : undefined;
      return { invocationId: String(requests.length), error, durationMs: 0 };
    },
  } as unknown as FunctionInvoker;
  return { invoker, requests };
}

const timerArg = (request: InvocationRequest) => JSON.parse(request.inputData[0]!.data!.json!);

function listener(
  options: Partial<ConstructorParameters<typeof TimerListener>[0]> & { invoker: FunctionInvoker },
) {
  return new TimerListener({
    fn,
    triggerName: 'timer',
    schedule: parseSchedule('0 0 * * * *'),
    runOnStartup: false,
    useMonitor: true,
    store: new InMemoryScheduleStatusStore(),
    logger: new HostLogger({ format: 'json', write: () => {} }),
    ...options,
  });
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-01-01T10:30:00Z'));
});
afterEach(() => vi.useRealTimers());

describe('TimerListener', () => {
  it('records a first status, then fires on the schedule and records the occurrence', async () => {
    // Prepare
    const store = new InMemoryScheduleStatusStore();
    const { invoker, requests } = fakeInvoker();
    const timer = listener({ invoker, store });
    // Act
    await timer.start();
    const initial = await store.get('tick');
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    // Assess
    expect(initial?.Next).toBe('2026-01-01T11:00:00.000Z');
    expect(requests).toHaveLength(1);
    expect(timerArg(requests[0]!)).toMatchObject({
      IsPastDue: false,
      ScheduleStatus: { Next: '2026-01-01T11:00:00.000Z' },
    });
    expect(await store.get('tick')).toMatchObject({
      Last: '2026-01-01T11:00:00.000Z',
      Next: '2026-01-01T12:00:00.000Z',
    });
    await timer.stop();
  });

  it('fires a missed occurrence once at start with isPastDue', async () => {
    // Prepare
    const store = new InMemoryScheduleStatusStore();
    await store.set('tick', {
      Last: '2026-01-01T08:00:00.000Z',
      Next: '2026-01-01T09:00:00.000Z',
      LastUpdated: '2026-01-01T08:00:00.000Z',
    });
    const { invoker, requests } = fakeInvoker();
    // Act
    const timer = listener({ invoker, store });
    await timer.start();
    await vi.advanceTimersByTimeAsync(0);
    // Assess
    expect(requests.map(timerArg)).toEqual([
      expect.objectContaining({
        IsPastDue: true,
        ScheduleStatus: expect.objectContaining({
          Last: '2026-01-01T08:00:00.000Z',
          Next: '2026-01-01T09:00:00.000Z',
        }),
      }),
    ]);
    expect((await store.get('tick'))?.Next).toBe('2026-01-01T11:00:00.000Z');
    await timer.stop();
  });

  it('fires nothing at start when the next occurrence is still ahead', async () => {
    const store = new InMemoryScheduleStatusStore();
    await store.set('tick', {
      Last: '2026-01-01T10:00:00.000Z',
      Next: '2026-01-01T11:00:00.000Z',
      LastUpdated: '2026-01-01T10:00:00.000Z',
    });
    const { invoker, requests } = fakeInvoker();
    const timer = listener({ invoker, store });
    await timer.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(requests).toHaveLength(0);
    await timer.stop();
  });

  it('fires once at start with runOnStartup', async () => {
    const { invoker, requests } = fakeInvoker();
    const timer = listener({ invoker, runOnStartup: true });
    await timer.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(requests.map(timerArg)).toEqual([expect.objectContaining({ IsPastDue: false })]);
    await timer.stop();
  });

  it('retries a failed run per its exponentialBackoff policy, passing the retry context', async () => {
    // Prepare
    const retrying: RegisteredFunction = {
      ...fn,
      metadata: {
        ...fn.metadata,
        retryOptions: {
          retryStrategy: 'exponentialBackoff',
          maxRetryCount: 3,
          minimumInterval: { seconds: 1 },
          maximumInterval: { seconds: 10 },
        },
      },
    };
    const { invoker, requests } = fakeInvoker(2);
    const timer = listener({ invoker, fn: retrying });
    // Act
    const done = timer.invokeWithRetry({ json: '{}' }, 'manual');
    await vi.advanceTimersByTimeAsync(999);
    const afterFirstDelay = requests.length;
    await vi.advanceTimersByTimeAsync(1 + 2000);
    const outcome = await done;
    // Assess
    expect(afterFirstDelay).toBe(1);
    expect(requests.map((r) => r.retryContext?.retryCount)).toEqual([0, 1, 2]);
    expect(requests[1]?.retryContext?.exception?.message).toBe('fails');
    expect(outcome.error).toBeUndefined();
  });

  it('gives up after maxRetryCount retries', async () => {
    const retrying: RegisteredFunction = {
      ...fn,
      metadata: {
        ...fn.metadata,
        retryOptions: {
          retryStrategy: 'fixedDelay',
          maxRetryCount: 1,
          delayInterval: { seconds: 1 },
        },
      },
    };
    const { invoker, requests } = fakeInvoker(5);
    const timer = listener({ invoker, fn: retrying });
    const done = timer.invokeWithRetry({ json: '{}' }, 'manual');
    await vi.advanceTimersByTimeAsync(5000);
    expect((await done).error?.message).toBe('fails');
    expect(requests).toHaveLength(2);
  });
});
