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
   * `{ maxAttempts: 4 }`; `delay` and `random` are injectable for tests.
   */
  retry?: Pick<RetryOptions, 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'delay' | 'random'>;
  /**
   * How long the SDK's requests may run on after the timeout or cancellation, so that an
   * operation whose initial request went out still gets its token saved. Default 10 000 ms.
   */
  requestGraceMs?: number;
  /** Injected for tests. Default `Date.now`. */
  now?: () => number;
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
  const log = (options.logger ?? silentLogger).child({ lro: options.operation });
  const now = options.now ?? Date.now;
  const started = now();
  const controller = new AbortController();
  const timedOut = new Error('timeout');
  const cancelled = new Error('cancelled');
  const onCallerAbort = () => controller.abort(cancelled);
  if (options.signal?.aborted) onCallerAbort();
  else options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => controller.abort(timedOut), options.timeoutMs);
  // The SDK's requests get a signal of their own that fires a grace period after the timeout or
  // cancellation: `begin*` returns only after the initial request *and* a first poll, and cutting
  // it short would lose the token of an operation that has already started.
  const requests = new AbortController();
  let graceTimer: ReturnType<typeof setTimeout> | undefined;
  controller.signal.addEventListener(
    'abort',
    () => {
      graceTimer = setTimeout(
        () => requests.abort(controller.signal.reason),
        options.requestGraceMs ?? 10_000,
      );
    },
    { once: true },
  );

  let token = options.resumeToken;
  let poller: LroPoller<TResult> | undefined;
  let lastPollFailure: string | undefined;
  try {
    const result = await withRetry(
      async (attempt) => {
        const resumeFrom = token;
        poller = await begin(resumeFrom, attempt);
        if (resumeFrom === undefined) {
          token = await tokenOf(poller);
          await save(token);
        }
        return await waitFor(poller);
      },
      {
        maxAttempts: 4,
        ...options.retry,
        signal: controller.signal,
        now,
        // Transient failures are retried: from the token once the operation has started, from
        // the start before that. What `waitFor` judged final is permanent and never retried.
        shouldRetry: (_e, c) => c.kind === 'transient',
        onRetry: ({ attempt, delayMs, classification }) =>
          log.warn('long-running operation interrupted; resuming', {
            attempt,
            delayMs,
            code: classification.code,
            status: classification.status,
          }),
      },
    );
    log.info('long-running operation succeeded', { elapsedMs: now() - started });
    return result;
  } catch (error) {
    poller?.stopPolling?.();
    const failure = toLroError(error);
    const level =
      failure instanceof LroFailedError && failure.kind === 'permanent' ? 'error' : 'warn';
    log[level]('long-running operation did not succeed', {
      elapsedMs: now() - started,
      code: failure.code,
      kind: failure.kind,
      error: failure.message,
    });
    throw failure;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    if (graceTimer !== undefined) clearTimeout(graceTimer);
    requests.abort();
    options.signal?.removeEventListener('abort', onCallerAbort);
  }

  async function begin(resumeFrom: string | undefined, attempt: number) {
    log.info(
      resumeFrom === undefined
        ? 'starting long-running operation'
        : 'resuming long-running operation',
      {
        attempt,
      },
    );
    try {
      return await options.begin({
        ...(resumeFrom === undefined ? {} : { resumeFrom }),
        ...(options.pollIntervalMs === undefined
          ? {}
          : { updateIntervalInMs: options.pollIntervalMs }),
        abortSignal: requests.signal,
      });
    } catch (error) {
      if (resumeFrom !== undefined && isUnreadableToken(error)) {
        // A token we cannot read is as good as none: say so, and let the retry start afresh.
        log.warn('saved resume token is unreadable; starting again', { error: String(error) });
        token = undefined;
        throw new AppError('unreadable resume token', {
          kind: 'transient',
          code: 'UnreadableResumeToken',
          cause: error,
        });
      }
      throw error;
    }
  }

  async function save(value: string) {
    if (!options.saveResumeToken) return;
    try {
      await options.saveResumeToken(value);
      log.debug('resume token saved');
    } catch (error) {
      // The operation is already running in Azure; failing here would only start it twice.
      log.warn('could not save the resume token; a crash now would start the operation again', {
        error,
      });
    }
  }

  async function waitFor(p: LroPoller<TResult>): Promise<TResult> {
    let last: LroStatus | undefined;
    const stop = p.onProgress((state) => {
      if (state.status !== last) {
        log.info('long-running operation status', {
          status: state.status,
          elapsedMs: now() - started,
        });
        last = state.status;
      } else {
        log.debug('long-running operation status', {
          status: state.status,
          elapsedMs: now() - started,
        });
      }
      options.onProgress?.(state);
    });
    try {
      return await p.pollUntilDone({ abortSignal: controller.signal });
    } catch (error) {
      if (controller.signal.aborted) throw error;
      const terminal = terminalFailure(error, stateOf(p)) ?? repeatedPollFailure(error);
      if (terminal) {
        throw new LroFailedError(options.operation, terminal, { resumeToken: token, cause: error });
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
  function repeatedPollFailure(error: unknown): ErrorClassification | undefined {
    const c = classifyError(error, now);
    if (c.status !== 500) return undefined;
    const key = `${c.status}:${c.code}`;
    if (lastPollFailure === key) return { ...c, kind: 'permanent' };
    lastPollFailure = key;
    return undefined;
  }

  function toLroError(error: unknown): LroError {
    const reason = controller.signal.reason;
    if (controller.signal.aborted && reason === timedOut) {
      return new LroTimeoutError(options.operation, options.timeoutMs ?? 0, token);
    }
    if (controller.signal.aborted && reason === cancelled) {
      return new LroCancelledError(options.operation, token, options.signal?.reason ?? error);
    }
    if (error instanceof LroError) return error;
    return new LroFailedError(options.operation, classifyError(error, now), {
      resumeToken: token,
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

const tokenOf = resumeTokenOf;

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
  state: LroState<unknown> | undefined,
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

function isUnreadableToken(error: unknown): boolean {
  return (
    error instanceof Error && /deserialize|Invalid (resume|poller) state|JSON/i.test(error.message)
  );
}
