import { RestError } from '@azure/core-rest-pipeline';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  classifyError,
  LroCancelledError,
  LroFailedError,
  LroTimeoutError,
} from '../../../../shared/errors.js';
import { createLogger, type LogEntry } from '../../../../shared/logging/logger.js';
import {
  type LroBeginOptions,
  type LroPoller,
  type LroState,
  type RunLroOptions,
  resumeTokenOf,
  runLro,
  terminalFailure,
} from '../../../../shared/lro/runLro.js';
import { FakeClock } from '../../../support/fakes/FakeClock.js';

/** One answer of the canned "service": a status the poll reports, or a request that fails. */
type Step =
  | { status: LroState<string>['status']; result?: string; code?: string }
  | { fail: Error };

/**
 * A canned long-running operation: the service state (a cursor into `steps`) is shared by every
 * poller `begin` hands out, the way ARM's operation outlives a crashed worker. Pollers behave as
 * core-lro 2's: a terminal failure becomes a plain `Error("The long-running operation has
 * failed. {code}. …")`, a failed request is thrown as is, and the poller is unusable after either.
 */
function cannedOperation(steps: Step[], options: { pollMs?: number; token?: string } = {}) {
  const server = { cursor: 0 };
  const calls: LroBeginOptions[] = [];
  const token = options.token ?? '{"state":{"config":{"operationLocation":"https://arm/op/1"}}}';
  const begin = async (o: LroBeginOptions): Promise<LroPoller<string>> => {
    calls.push(o);
    if (o.resumeFrom !== undefined && o.resumeFrom !== token) {
      throw new Error(`Unable to deserialize input state: ${o.resumeFrom}`);
    }
    const state: LroState<string> = { status: 'running' };
    const handlers = new Set<(s: LroState<string>) => void>();
    return {
      getOperationState: () => state,
      onProgress(cb) {
        handlers.add(cb);
        return () => handlers.delete(cb);
      },
      toString: () => token,
      stopPolling: () => {},
      async pollUntilDone({ abortSignal } = {}) {
        for (;;) {
          abortSignal?.throwIfAborted();
          if (options.pollMs) {
            await new Promise<void>((resolve, reject) => {
              const t = setTimeout(resolve, options.pollMs);
              abortSignal?.addEventListener('abort', () => {
                clearTimeout(t);
                reject(abortSignal.reason);
              });
            });
          }
          const step = steps[server.cursor++];
          if (!step) throw new Error('script exhausted');
          if ('fail' in step) {
            state.status = 'failed';
            state.error = step.fail;
            throw step.fail;
          }
          state.status = step.status;
          for (const h of handlers) h(state);
          if (step.status === 'succeeded') return step.result ?? 'done';
          if (step.status === 'failed') {
            state.error = new Error(
              `The long-running operation has failed. ${step.code}. it broke`,
            );
            throw state.error;
          }
          if (step.status === 'canceled') throw new Error('Operation was canceled');
        }
      },
    };
  };
  return { begin, calls, token, server };
}

function restError(status: number, code: string): RestError {
  return new RestError(`${code} happened`, { statusCode: status, code });
}

function options(
  begin: RunLroOptions<string>['begin'],
  extra: Partial<RunLroOptions<string>> = {},
): RunLroOptions<string> {
  return {
    operation: 'delete resource group rg-1',
    begin,
    clock: new FakeClock(),
    ...extra,
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('runLro', () => {
  it('starts the operation, saves the token before waiting, and returns the result', async () => {
    // Prepare
    const op = cannedOperation([{ status: 'running' }, { status: 'succeeded', result: 'gone' }]);
    const saved: Array<{ token: string; cursor: number }> = [];
    const saveResumeToken = async (token: string) =>
      void saved.push({ token, cursor: op.server.cursor });

    // Act
    const result = await runLro(options(op.begin, { saveResumeToken, pollIntervalMs: 25 }));

    // Assess
    expect(result).toBe('gone');
    expect(saved).toEqual([{ token: op.token, cursor: 0 }]);
    expect(op.calls).toHaveLength(1);
    expect(op.calls[0]).toMatchObject({ updateIntervalInMs: 25 });
    expect(op.calls[0]).not.toHaveProperty('resumeFrom');
  });

  it('resumes from a saved token instead of starting again', async () => {
    // Prepare
    const op = cannedOperation([{ status: 'succeeded' }]);
    const saveResumeToken = vi.fn(async () => {});

    // Act
    await runLro(options(op.begin, { resumeToken: op.token, saveResumeToken }));

    // Assess
    expect(op.calls.map((c) => c.resumeFrom)).toEqual([op.token]);
    expect(saveResumeToken).not.toHaveBeenCalled();
  });

  it('starts afresh when the saved token cannot be read', async () => {
    // Prepare
    const op = cannedOperation([{ status: 'succeeded' }]);
    const saveResumeToken = vi.fn(async () => {});

    // Act
    await runLro(options(op.begin, { resumeToken: 'not json', saveResumeToken }));

    // Assess
    expect(op.calls.map((c) => c.resumeFrom)).toEqual(['not json', undefined]);
    expect(saveResumeToken).toHaveBeenCalledWith(op.token);
  });

  it('resumes from the token after a transient poll failure', async () => {
    // Prepare
    const op = cannedOperation([
      { status: 'running' },
      { fail: restError(503, 'ServiceUnavailable') },
      { status: 'running' },
      { status: 'succeeded', result: 'ok' },
    ]);
    const clock = new FakeClock();
    const delays = clock.delays;

    // Act
    const result = await runLro(
      options(op.begin, {
        retry: { random: () => 0.5, baseDelayMs: 100 },
        clock,
      }),
    );

    // Assess
    expect(result).toBe('ok');
    expect(op.calls.map((c) => c.resumeFrom)).toEqual([undefined, op.token]);
    expect(delays).toEqual([50]);
  });

  it.each([
    {
      description: 'an operation that ends Failed',
      steps: [{ status: 'running' }, { status: 'failed', code: 'InternalServerError' }] as Step[],
      expected: {
        kind: 'permanent',
        code: 'InternalServerError',
        message: 'delete resource group rg-1 failed: InternalServerError: it broke',
      },
    },
    {
      description: 'an operation the service canceled',
      steps: [{ status: 'canceled' }] as Step[],
      expected: { kind: 'permanent', code: 'OperationCanceled' },
    },
    {
      description: 'a poll answered 404',
      steps: [{ fail: restError(404, 'NotFound') }] as Step[],
      expected: { kind: 'permanent', code: 'NotFound', status: 404 },
    },
  ])('fails permanently on $description, without retrying', async ({ steps, expected }) => {
    // Prepare
    const op = cannedOperation(steps);

    // Act
    const outcome = runLro(options(op.begin));

    // Assess
    const error = await outcome.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LroFailedError);
    expect(error).toMatchObject({
      ...expected,
      resumeToken: op.token,
      operation: 'delete resource group rg-1',
    });
    expect(op.calls).toHaveLength(1);
  });

  it('gives up with a transient LroFailedError when polls keep failing', async () => {
    // Prepare
    const op = cannedOperation(
      Array.from({ length: 4 }, () => ({ fail: restError(503, 'ServiceUnavailable') })),
    );

    // Act
    const outcome = runLro(
      options(op.begin, { retry: { maxAttempts: 4 }, clock: new FakeClock() }),
    );

    // Assess
    await expect(outcome).rejects.toMatchObject({
      name: 'LroFailedError',
      kind: 'transient',
      code: 'ServiceUnavailable',
      status: 503,
    });
    expect(op.calls).toHaveLength(4);
  });

  it('reports a refused start with ARM’s code and saves no token', async () => {
    // Prepare
    const saveResumeToken = vi.fn(async () => {});
    const begin = vi.fn(async () => {
      throw restError(409, 'ScopeLocked');
    });

    // Act
    const outcome = runLro(options(begin, { saveResumeToken }));

    // Assess
    await expect(outcome).rejects.toMatchObject({
      name: 'LroFailedError',
      kind: 'permanent',
      code: 'ScopeLocked',
      status: 409,
    });
    expect(begin).toHaveBeenCalledTimes(1);
    expect(saveResumeToken).not.toHaveBeenCalled();
  });

  it('times out with the token, so a later attempt can resume', async () => {
    // Prepare
    vi.useFakeTimers();
    const op = cannedOperation(
      Array.from({ length: 100 }, () => ({ status: 'running' })),
      { pollMs: 1000 },
    );

    // Act
    const outcome = runLro(options(op.begin, { timeoutMs: 5500 })).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(5500);
    const error = await outcome;

    // Assess
    expect(error).toBeInstanceOf(LroTimeoutError);
    expect(error).toMatchObject({
      kind: 'transient',
      code: 'LroTimeout',
      resumeToken: op.token,
      timeoutMs: 5500,
    });
    expect(op.server.cursor).toBe(5);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops when the caller cancels', async () => {
    // Prepare
    vi.useFakeTimers();
    const controller = new AbortController();
    const op = cannedOperation(
      Array.from({ length: 100 }, () => ({ status: 'running' })),
      { pollMs: 1000 },
    );

    // Act
    const outcome = runLro(
      options(op.begin, { signal: controller.signal, timeoutMs: 60_000 }),
    ).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(2500);
    controller.abort(new Error('host shutting down'));
    const error = await outcome;

    // Assess
    expect(error).toBeInstanceOf(LroCancelledError);
    expect(error).toMatchObject({ kind: 'transient', code: 'LroCancelled', resumeToken: op.token });
    expect(classifyError(error).kind).toBe('transient');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not start when the signal is already aborted', async () => {
    // Prepare
    const op = cannedOperation([{ status: 'succeeded' }]);

    // Act
    const outcome = runLro(options(op.begin, { signal: AbortSignal.abort() }));

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(LroCancelledError);
    expect(op.calls).toHaveLength(0);
  });

  it('carries on when the token cannot be saved, and says so', async () => {
    // Prepare
    const op = cannedOperation([{ status: 'succeeded', result: 'ok' }]);
    const entries: LogEntry[] = [];
    const logger = createLogger(
      undefined,
      {},
      { sink: (e) => void entries.push(e), level: 'debug' },
    );

    // Act
    const result = await runLro(
      options(op.begin, {
        logger,
        saveResumeToken: async () => {
          throw new Error('storage down');
        },
      }),
    );

    // Assess
    expect(result).toBe('ok');
    expect(entries.map((e) => [e.level, e.message])).toContainEqual([
      'warn',
      'could not save the resume token; a crash now would start the operation again',
    ]);
  });

  it('logs each status change once and reports every poll', async () => {
    // Prepare
    const op = cannedOperation([
      { status: 'running' },
      { status: 'running' },
      { status: 'succeeded' },
    ]);
    const entries: LogEntry[] = [];
    const logger = createLogger(
      undefined,
      { operationId: 'op-1' },
      { sink: (e) => void entries.push(e) },
    );
    const seen: string[] = [];

    // Act
    await runLro(options(op.begin, { logger, onProgress: (s) => void seen.push(s.status) }));

    // Assess
    expect(seen).toEqual(['running', 'running', 'succeeded']);
    expect(
      entries.filter((e) => e.message === 'long-running operation status').map((e) => e.status),
    ).toEqual(['running', 'succeeded']);
    expect(
      entries.every((e) => e.operationId === 'op-1' && e.lro === 'delete resource group rg-1'),
    ).toBe(true);
  });
});

describe('terminalFailure', () => {
  it.each([
    {
      description: 'core-lro’s failed-operation error',
      error: new Error('The long-running operation has failed. ScopeLocked. The scope is locked.'),
      state: { status: 'failed' as const },
      expected: { kind: 'permanent', code: 'ScopeLocked', message: 'The scope is locked.' },
    },
    {
      description: 'a failed operation without a code',
      error: new Error('The long-running operation has failed'),
      state: { status: 'failed' as const },
      expected: {
        kind: 'permanent',
        code: 'OperationFailed',
        message: 'The long-running operation has failed',
      },
    },
    {
      description: 'a request error (the poll failed, not the operation)',
      error: restError(503, 'ServiceUnavailable'),
      state: { status: 'failed' as const },
      expected: undefined,
    },
    {
      description: 'a network error while running',
      error: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      state: { status: 'running' as const },
      expected: undefined,
    },
  ])('reads $description', ({ error, state, expected }) => {
    // Act
    const failure = terminalFailure(error, state);

    // Assess
    expect(failure).toEqual(expected);
  });
});

describe('resumeTokenOf', () => {
  it('prefers serialize() (core-lro 3) over toString() (core-lro 2)', async () => {
    // Act & Assess
    expect(await resumeTokenOf({ serialize: async () => 'v3', toString: () => 'v2' })).toBe('v3');
    expect(await resumeTokenOf({ toString: () => 'v2' })).toBe('v2');
  });
});

describe('runLro while the operation is starting', () => {
  it('saves the token of an operation whose start outlasts the timeout', async () => {
    // Prepare
    vi.useFakeTimers();
    const op = cannedOperation([{ status: 'running' }, { status: 'succeeded' }]);
    const slowBegin = async (o: LroBeginOptions) => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return op.begin(o);
    };
    const saveResumeToken = vi.fn(async () => {});

    // Act
    const outcome = runLro(options(slowBegin, { timeoutMs: 300, saveResumeToken })).catch(
      (e: unknown) => e,
    );
    await vi.advanceTimersByTimeAsync(1000);
    const error = await outcome;

    // Assess
    expect(error).toBeInstanceOf(LroTimeoutError);
    expect(error).toMatchObject({ resumeToken: op.token });
    expect(saveResumeToken).toHaveBeenCalledWith(op.token);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('abandons a start that hangs past the grace period', async () => {
    // Prepare
    vi.useFakeTimers();
    let requestSignal: AbortSignal | undefined;
    const hangingBegin = (o: LroBeginOptions) =>
      new Promise<LroPoller<string>>((_resolve, reject) => {
        requestSignal = o.abortSignal;
        o.abortSignal.addEventListener('abort', () => reject(o.abortSignal.reason));
      });

    // Act
    const outcome = runLro(options(hangingBegin, { timeoutMs: 300, requestGraceMs: 2000 })).catch(
      (e: unknown) => e,
    );
    await vi.advanceTimersByTimeAsync(2299);
    const abortedEarly = requestSignal?.aborted;
    await vi.advanceTimersByTimeAsync(1);
    const error = await outcome;

    // Assess
    expect(abortedEarly).toBe(false);
    expect(error).toBeInstanceOf(LroTimeoutError);
    expect(error).toMatchObject({ resumeToken: undefined });
  });

  it('calls a 500 that repeats after resuming the operation’s final failure', async () => {
    // Prepare
    const op = cannedOperation([
      { fail: restError(500, 'InternalServerError') },
      { fail: restError(500, 'InternalServerError') },
    ]);

    // Act
    const error = await runLro(options(op.begin)).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(LroFailedError);
    expect(error).toMatchObject({ kind: 'permanent', code: 'InternalServerError', status: 500 });
    expect(op.calls.map((c) => c.resumeFrom)).toEqual([undefined, op.token]);
  });

  it('keeps a 503 transient however often it repeats', async () => {
    // Prepare
    const op = cannedOperation(
      Array.from({ length: 3 }, () => ({ fail: restError(503, 'ServiceUnavailable') })),
    );

    // Act
    const error = await runLro(
      options(op.begin, { retry: { maxAttempts: 3 }, clock: new FakeClock() }),
    ).catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ kind: 'transient', code: 'ServiceUnavailable' });
    expect(op.calls).toHaveLength(3);
  });

  it("carries ARM's code when the operation fails inside begin's first poll", async () => {
    // Prepare: core-lro reports a terminal failure found by begin's own poll as a plain Error.
    const begin = async () => {
      throw new Error('The long-running operation has failed. InternalServerError. it broke');
    };

    // Act
    const error = await runLro(options(begin)).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(LroFailedError);
    expect(error).toMatchObject({ kind: 'permanent', code: 'InternalServerError' });
  });

  it('calls a 500 that the first poll inside begin answers twice the final failure', async () => {
    // Prepare: a `Location` poll answering the failure's own status (async-api-reference.md).
    let starts = 0;
    const begin = async () => {
      starts += 1;
      const error = restError(500, 'InternalServerError');
      Object.assign(error, { request: { method: 'GET' } });
      throw error;
    };

    // Act
    const error = await runLro(options(begin)).catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ kind: 'permanent', code: 'InternalServerError', status: 500 });
    expect(starts).toBe(2);
  });

  it('keeps a 500 on the initial request itself transient', async () => {
    // Prepare
    let starts = 0;
    const begin = async () => {
      starts += 1;
      const error = restError(500, 'InternalServerError');
      Object.assign(error, { request: { method: 'PUT' } });
      throw error;
    };

    // Act
    const error = await runLro(
      options(begin, { retry: { maxAttempts: 3 }, clock: new FakeClock() }),
    ).catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ kind: 'transient', code: 'InternalServerError' });
    expect(starts).toBe(3);
  });
});
