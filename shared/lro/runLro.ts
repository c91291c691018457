/**
 * The one helper for ARM long-running operations, over the pollers the SDKs' `begin*` methods
 * return. It adds what the SDK pollers leave to the caller:
 *
 * - a resume token saved (through a callback) as soon as the operation has started, and resuming
 *   from a saved token instead of starting again, so a worker that crashed mid-operation picks up
 *   where it was;
 * - an overall timeout and cancellation through an `AbortSignal`;
 * - progress logging;
 * - retrying a poll that failed transiently (a 503 storm, a reset connection) by resuming from the
 *   token, and a typed error for everything else: `LroFailedError` (with `kind` transient or
 *   permanent), `LroTimeoutError`, `LroCancelledError`.
 *
 * Waiting between polls is the SDK's: it follows ARM's `Retry-After`, or `pollIntervalMs`.
 * All I/O arrives through `begin`, so the logic is tested with canned pollers.
 */

import { type Clock, systemClock } from '../clock.js';
import {
  AppError,
  classifyError,
  type ErrorClassification,
  LroCancelledError,
  LroError,
  LroFailedError,
  LroTimeoutError,
} from '../errors.js';
import { type Logger, silentLogger } from '../logging/logger.js';
import { type RetryOptions, withRetry } from '../retry.js';

export type LroStatus = 'notStarted' | 'running' | 'succeeded' | 'failed' | 'canceled';

export interface LroState<TResult> {
  status: LroStatus;
  error?: Error;
  result?: TResult;
}

/**
 * What `runLro` needs from a poller. Both SDK generations fit: core-lro 2's `SimplePollerLike`
 * (`@azure/arm-resources` 7, `getOperationState()`/`toString()`) and core-lro 3's `PollerLike`
 * (`@azure/arm-compute` 24 `restorePoller`, `operationState`/`serialize()`).
 */
export interface LroPoller<TResult> {
  pollUntilDone(options?: { abortSignal?: AbortSignal }): Promise<TResult>;
  onProgress(callback: (state: LroState<TResult>) => void): () => void;
  getOperationState?(): LroState<TResult>;
  readonly operationState?: LroState<TResult> | undefined;
  serialize?(): Promise<string>;
  stopPolling?(): void;
  toString(): string;
}

/** What `begin` receives: pass all three to the SDK's `begin*` method. */
export interface LroBeginOptions {
  /** A saved resume token: restore the poller from it instead of sending the initial request. */
  resumeFrom?: string;
  /** Poll interval when ARM gives no `Retry-After`. */
  updateIntervalInMs?: number;
  /**
   * Aborts the SDK's requests. It fires `requestGraceMs` after the timeout or the caller's
   * cancellation; waiting between polls stops at once.
   */
  abortSignal: AbortSignal;
}

export interface RunLroOptions<TResult> {
  /** A human name for logs and errors, for example `delete resource group rg-1`. */
  operation: string;
  /**
   * Starts the operation, or restores its poller when `resumeFrom` is set.
   *
   * @example
   * begin: (o) => resources.resourceGroups.beginDelete(name, o)
   */
  begin: (options: LroBeginOptions) => Promise<LroPoller<TResult>>;
  /** A token saved by an earlier attempt: resume polling instead of starting again. */
  resumeToken?: string;
  /** Called once with the token as soon as the operation has started. */
  saveResumeToken?: (token: string) => Promise<void>;
  /** The whole operation's budget, from this call. Default: none. */
  timeoutMs?: number;
  pollIntervalMs?: number;
  signal?: AbortSignal;
  logger?: Logger;
  /** Called on every status the poller reports. */
  onProgress?: (state: LroState<TResult>) => void;
  /**
   * Retries of a transiently failed start or poll (which resume from the token). Default
   * `{ maxAttempts: 4 }`.
   */
  retry?: Pick<RetryOptions, 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'random'>;
  /** Whose time the retries wait and the logs measure. Default: real time. */
  clock?: Clock;
  /**
   * How long the SDK's requests may run on after the timeout or cancellation, so that an
   * operation whose initial request went out still gets its token saved. Default 10 000 ms.
   */
  requestGraceMs?: number;
}

/**
 * Runs (or resumes) a long-running operation to its end and returns its result.
 *
 * @example
 * await runLro({
 *   operation: `delete resource group ${name}`,
 *   begin: (o) => clients.resources.resourceGroups.beginDelete(name, o),
 *   resumeToken: op.deleteToken,
 *   saveResumeToken: (token) => saveStep(op, { deleteToken: token }),
 *   timeoutMs: config.lroTimeoutMinutes * 60_000,
 *   signal,
 *   logger,
 * });
 */
export async function runLro<TResult>(options: RunLroOptions<TResult>): Promise<TResult> {
  const run = new LroRun(options);
  try {
    return await run.execute();
  } finally {
    run.dispose();
  }
}

/**
 * One execution of `runLro`: its cancellation signals, the token it holds, the poller it drives,
 * and the last poll failure it saw. Each method does one thing; `execute` strings them together
 * under the retry policy.
 */
class LroRun<TResult> {
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly started: number;
  /** Fires on the timeout or the caller's cancellation: waiting stops at once. */
  private readonly controller = new AbortController();
  /**
   * The SDK's requests get a signal of their own that fires a grace period after the timeout or
   * cancellation: `begin*` returns only after the initial request *and* a first poll, and cutting
   * it short would lose the token of an operation that has already started.
   */
  private readonly requests = new AbortController();
  private readonly timedOut = new Error('timeout');
  private readonly cancelled = new Error('cancelled');
  private readonly timers: ReturnType<typeof setTimeout>[] = [];
  private token: string | undefined;
  private poller: LroPoller<TResult> | undefined;
  private lastPollFailure: string | undefined;

  constructor(private readonly options: RunLroOptions<TResult>) {
    this.log = (options.logger ?? silentLogger).child({ lro: options.operation });
    this.clock = options.clock ?? systemClock;
    this.started = this.clock.now().getTime();
    this.token = options.resumeToken;
    if (options.signal?.aborted) this.onCallerAbort();
    else options.signal?.addEventListener('abort', this.onCallerAbort, { once: true });
    if (options.timeoutMs !== undefined) {
      this.timers.push(setTimeout(() => this.controller.abort(this.timedOut), options.timeoutMs));
    }
    this.controller.signal.addEventListener(
      'abort',
      () => {
        this.timers.push(
          setTimeout(
            () => this.requests.abort(this.controller.signal.reason),
            options.requestGraceMs ?? 10_000,
          ),
        );
      },
      { once: true },
    );
  }

  async execute(): Promise<TResult> {
    try {
      const result = await withRetry((attempt) => this.attempt(attempt), {
        maxAttempts: 4,
        ...this.options.retry,
        clock: this.clock,
        signal: this.controller.signal,
        // Transient failures are retried: from the token once the operation has started, from
        // the start before that. What `waitFor` judged final is permanent and never retried.
        shouldRetry: (_e, c) => c.kind === 'transient',
        onRetry: ({ attempt, delayMs, classification }) =>
          this.log.warn('long-running operation interrupted; resuming', {
            attempt,
            delayMs,
            code: classification.code,
            status: classification.status,
          }),
      });
      this.log.info('long-running operation succeeded', { elapsedMs: this.elapsed() });
      return result;
    } catch (error) {
      this.poller?.stopPolling?.();
      const failure = this.toLroError(error);
      const level =
        failure instanceof LroFailedError && failure.kind === 'permanent' ? 'error' : 'warn';
      this.log[level]('long-running operation did not succeed', {
        elapsedMs: this.elapsed(),
        code: failure.code,
        kind: failure.kind,
        error: failure.message,
      });
      throw failure;
    }
  }

  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.requests.abort();
    this.options.signal?.removeEventListener('abort', this.onCallerAbort);
  }

  private readonly onCallerAbort = () => this.controller.abort(this.cancelled);

  private elapsed(): number {
    return this.clock.now().getTime() - this.started;
  }

  /** Starts or resumes, saves the token of a fresh start, and waits for the end. */
  private async attempt(attempt: number): Promise<TResult> {
    const resumeFrom = this.token;
    this.poller = await this.begin(resumeFrom, attempt);
    if (resumeFrom === undefined) {
      this.token = await resumeTokenOf(this.poller);
      await this.save(this.token);
    }
    return this.waitFor(this.poller);
  }

  private async begin(resumeFrom: string | undefined, attempt: number) {
    this.log.info(
      resumeFrom === undefined
        ? 'starting long-running operation'
        : 'resuming long-running operation',
      { attempt },
    );
    try {
      return await this.options.begin({
        ...(resumeFrom === undefined ? {} : { resumeFrom }),
        ...(this.options.pollIntervalMs === undefined
          ? {}
          : { updateIntervalInMs: this.options.pollIntervalMs }),
        abortSignal: this.requests.signal,
      });
    } catch (error) {
      if (resumeFrom !== undefined && isUnreadableToken(error)) {
        // A token we cannot read is as good as none: say so, and let the retry start afresh.
        this.log.warn('saved resume token is unreadable; starting again', {
          error: String(error),
        });
        this.token = undefined;
        throw new AppError('unreadable resume token', {
          kind: 'transient',
          code: 'UnreadableResumeToken',
          cause: error,
        });
      }
      // `begin*` sends the initial request and then polls once: an operation can end before it
      // returns. Judge that first poll as any other, so its failure carries ARM's code.
      const terminal =
        terminalFailure(error) ??
        (isPollRequest(error) ? this.repeatedPollFailure(classifyError(error)) : undefined);
      if (terminal) {
        throw new LroFailedError(this.options.operation, terminal, {
          resumeToken: this.token,
          cause: error,
        });
      }
      throw error;
    }
  }

  private async save(value: string) {
    if (!this.options.saveResumeToken) return;
    try {
      await this.options.saveResumeToken(value);
      this.log.debug('resume token saved');
    } catch (error) {
      // The operation is already running in Azure; failing here would only start it twice.
      this.log.warn(
        'could not save the resume token; a crash now would start the operation again',
        { error },
      );
    }
  }

  private async waitFor(p: LroPoller<TResult>): Promise<TResult> {
    let last: LroStatus | undefined;
    const stop = p.onProgress((state) => {
      const level = state.status === last ? 'debug' : 'info';
      this.log[level]('long-running operation status', {
        status: state.status,
        elapsedMs: this.elapsed(),
      });
      last = state.status;
      this.options.onProgress?.(state);
    });
    try {
      return await p.pollUntilDone({ abortSignal: this.controller.signal });
    } catch (error) {
      if (this.controller.signal.aborted) throw error;
      const terminal =
        terminalFailure(error, stateOf(p)) ?? this.repeatedPollFailure(classifyError(error));
      if (terminal) {
        throw new LroFailedError(this.options.operation, terminal, {
          resumeToken: this.token,
          cause: error,
        });
      }
      throw error;
    } finally {
      stop();
    }
  }

  /**
   * A `Location` poll of an operation that ended badly answers with the failure's own status
   * (ARM's async-api-reference), for example a 500 `InternalServerError`, exactly as a passing
   * server hiccup would. The difference shows on the next poll: a hiccup goes away, a terminal
   * failure answers the same again. So the first 500 is treated as transient (resume and poll
   * again) and the same status and code a second time as the operation's final, permanent
   * failure. Gateway statuses (502, 503, 504) and throttling always stay transient.
   */
  private repeatedPollFailure(c: ErrorClassification): ErrorClassification | undefined {
    if (c.status !== 500) return undefined;
    const key = `${c.status}:${c.code}`;
    if (this.lastPollFailure === key) return { ...c, kind: 'permanent' };
    this.lastPollFailure = key;
    return undefined;
  }

  private toLroError(error: unknown): LroError {
    const { aborted, reason } = this.controller.signal;
    if (aborted && reason === this.timedOut) {
      return new LroTimeoutError(this.options.operation, this.options.timeoutMs ?? 0, this.token);
    }
    if (aborted && reason === this.cancelled) {
      return new LroCancelledError(
        this.options.operation,
        this.token,
        this.options.signal?.reason ?? error,
      );
    }
    if (error instanceof LroError) return error;
    return new LroFailedError(this.options.operation, classifyError(error), {
      resumeToken: this.token,
      cause: error,
    });
  }
}

/**
 * The serialized poller, for `resumeFrom`/`restorePoller`. core-lro 3's pollers only serialize
 * through `serialize()`; core-lro 2's through `toString()`.
 *
 * @example
 * const token = await resumeTokenOf(poller);
 */
export async function resumeTokenOf(poller: Pick<LroPoller<unknown>, 'serialize' | 'toString'>) {
  return typeof poller.serialize === 'function' ? await poller.serialize() : poller.toString();
}

function stateOf<TResult>(p: LroPoller<TResult>): LroState<TResult> | undefined {
  return typeof p.getOperationState === 'function' ? p.getOperationState() : p.operationState;
}

/**
 * When the service itself ended the operation `failed` or `canceled`, ARM's code and message for
 * it; `undefined` when the failure was a request that went wrong on the way (which says nothing
 * about the operation, so it is classified as any request error and may be resumed).
 *
 * core-lro reports a terminal failure as a plain `Error("The long-running operation has failed.
 * {code}. {message}")`, and a failed poll request as the `RestError` itself.
 */
export function terminalFailure(
  error: unknown,
  state?: LroState<unknown>,
): ErrorClassification | undefined {
  const isRequestError =
    error instanceof Error &&
    (error.name === 'RestError' ||
      typeof (error as { statusCode?: unknown }).statusCode === 'number');
  if (isRequestError) return undefined;
  if (
    state?.status === 'canceled' ||
    (error instanceof Error && error.message === 'Operation was canceled')
  ) {
    return {
      kind: 'permanent',
      code: 'OperationCanceled',
      message: 'The operation was canceled by the service',
    };
  }
  if (
    state?.status !== 'failed' &&
    !(error instanceof Error && /long-running operation has failed/i.test(error.message))
  ) {
    return undefined;
  }
  const message = error instanceof Error ? error.message : String(error);
  const match = /long-running operation has failed\.\s*([^.\s]+)\.\s*(.*)$/is.exec(message);
  const code = match?.[1] ?? (error as { code?: unknown })?.code;
  return {
    kind: 'permanent',
    code: typeof code === 'string' && code.length > 0 ? code : 'OperationFailed',
    message: match?.[2]?.trim() || message,
  };
}

/** Whether the request that failed was a poll (a GET), not the operation's initial request. */
function isPollRequest(error: unknown): boolean {
  return (error as { request?: { method?: string } } | null)?.request?.method === 'GET';
}

function isUnreadableToken(error: unknown): boolean {
  return (
    error instanceof Error && /deserialize|Invalid (resume|poller) state|JSON/i.test(error.message)
  );
}
