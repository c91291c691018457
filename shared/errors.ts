/**
 * The app's error hierarchy and the one place that decides whether a failure is worth retrying.
 *
 * Every error the shared modules throw extends `AppError`, which carries `kind` (`transient`: try
 * again later, `permanent`: trying again gives the same answer) and a stable `code`. Errors from
 * the Azure SDKs (`RestError`) are read, never wrapped blindly: `classifyError` looks at ARM's
 * `{"error":{"code","message"}}` body, the HTTP status and Node's network error codes.
 */

export type ErrorKind = 'transient' | 'permanent';

/** What `classifyError` learned about a failure. */
export interface ErrorClassification {
  kind: ErrorKind;
  /** ARM's or Storage's error code (`ScopeLocked`), Node's (`ECONNRESET`), or the error's name. */
  code: string;
  /** The HTTP status, when the failure came with a response. */
  status?: number;
  message: string;
  /** How long the server asked us to wait (`Retry-After`, `retry-after-ms`), in milliseconds. */
  retryAfterMs?: number;
}

/**
 * The base of every error the app throws on purpose.
 *
 * @example
 * throw new AppError('Sandbox name is taken', { kind: 'permanent', code: 'SandboxExists' });
 */
export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  constructor(message: string, options: { kind: ErrorKind; code: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.kind = options.kind;
    this.code = options.code;
  }
}

/** One setting that is missing or invalid. */
export interface ConfigIssue {
  setting: string;
  message: string;
}

/**
 * App settings are missing or invalid. The message names every offending setting.
 *
 * @example
 * new ConfigError([{ setting: 'AZURE_SUBSCRIPTION_ID', message: 'is required' }]).message;
 * // 'Invalid app settings: AZURE_SUBSCRIPTION_ID is required'
 */
export class ConfigError extends AppError {
  readonly issues: readonly ConfigIssue[];
  constructor(issues: readonly ConfigIssue[]) {
    super(`Invalid app settings: ${issues.map((i) => `${i.setting} ${i.message}`).join('; ')}`, {
      kind: 'permanent',
      code: 'InvalidConfiguration',
    });
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/**
 * A call to Azure (ARM or Storage) failed. Carries the classification and the SDK error as `cause`.
 *
 * @example
 * throw AzureRequestError.from(restError); // kind/code/status taken from the RestError
 */
export class AzureRequestError extends AppError {
  readonly status?: number;
  readonly retryAfterMs?: number;
  constructor(classification: ErrorClassification, cause?: unknown) {
    super(classification.message, { kind: classification.kind, code: classification.code, cause });
    this.name = 'AzureRequestError';
    this.status = classification.status;
    this.retryAfterMs = classification.retryAfterMs;
  }

  /** Wraps any thrown value, keeping an existing `AzureRequestError` as is. */
  static from(err: unknown): AzureRequestError {
    return err instanceof AzureRequestError ? err : new AzureRequestError(classifyError(err), err);
  }
}

/** A conditional write lost: the record exists already (`create`) or changed since read (`replace`). */
export class RecordConflictError extends AppError {
  readonly key: string;
  constructor(key: string, message: string, cause?: unknown) {
    // Transient: reading again and re-applying the change usually succeeds (see `updateRecord`).
    super(message, { kind: 'transient', code: 'RecordConflict', cause });
    this.name = 'RecordConflictError';
    this.key = key;
  }
}

/** A record that had to exist does not (for example `updateRecord` without `initial`). */
export class RecordNotFoundError extends AppError {
  readonly key: string;
  constructor(key: string) {
    super(`record ${key} does not exist`, { kind: 'permanent', code: 'RecordNotFound' });
    this.name = 'RecordNotFoundError';
    this.key = key;
  }
}

/** Base of the long-running-operation errors; carries the resume token when there is one. */
export class LroError extends AppError {
  /** A human name for the operation, for example `delete resource group rg-1`. */
  readonly operation: string;
  /** The poller's resume token, so a later attempt can resume instead of starting again. */
  readonly resumeToken?: string;
  constructor(
    message: string,
    options: {
      kind: ErrorKind;
      code: string;
      operation: string;
      resumeToken?: string;
      cause?: unknown;
    },
  ) {
    super(message, options);
    this.name = 'LroError';
    this.operation = options.operation;
    this.resumeToken = options.resumeToken;
  }
}

/**
 * The operation ended `failed` or `canceled` on the service's side, or its start or a poll was
 * refused. `kind`/`code`/`status` come from ARM's error.
 */
export class LroFailedError extends LroError {
  readonly status?: number;
  constructor(
    operation: string,
    classification: ErrorClassification,
    options: { resumeToken?: string; cause?: unknown } = {},
  ) {
    super(`${operation} failed: ${classification.code}: ${classification.message}`, {
      kind: classification.kind,
      code: classification.code,
      operation,
      ...options,
    });
    this.name = 'LroFailedError';
    this.status = classification.status;
  }
}

/**
 * The overall timeout, or the wait the caller allowed, passed while the operation was still
 * running. Resume later with the token; `retryAfterMs` says when ARM suggests looking again.
 */
export class LroTimeoutError extends LroError {
  readonly timeoutMs: number;
  readonly retryAfterMs?: number;
  constructor(operation: string, timeoutMs: number, resumeToken?: string, retryAfterMs?: number) {
    super(`${operation} did not finish within ${timeoutMs} ms`, {
      kind: 'transient',
      code: 'LroTimeout',
      operation,
      resumeToken,
    });
    this.name = 'LroTimeoutError';
    this.timeoutMs = timeoutMs;
    if (retryAfterMs !== undefined) this.retryAfterMs = retryAfterMs;
  }
}

/** The caller's `AbortSignal` fired (for example the host is shutting down). */
export class LroCancelledError extends LroError {
  constructor(operation: string, resumeToken?: string, cause?: unknown) {
    super(`${operation} was cancelled before it finished`, {
      kind: 'transient',
      code: 'LroCancelled',
      operation,
      resumeToken,
      cause,
    });
    this.name = 'LroCancelledError';
  }
}

const transientNetworkCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'REQUEST_SEND_ERROR',
]);

/** ARM codes that mean "not now" even though the status is a 409: they clear by themselves. */
const transientConflictCodes = new Set([
  'ResourceGroupBeingDeleted',
  'AnotherOperationInProgress',
  'OperationPreempted',
]);

/** ARM codes that are transient only when the server also says when to come back. */
const transientWithRetryAfterCodes = new Set(['Conflict', 'RetryableError', 'TooManyRequests']);

/** ARM codes that are final however long we wait. */
const permanentArmCodes = new Set([
  'ScopeLocked',
  'AuthorizationFailed',
  'InvalidResourceGroupLocation',
  'RequestDisallowedByPolicy',
]);

/**
 * Decides whether a failure is transient (429, 5xx except 501, network errors, ARM conflicts that
 * clear by themselves) or permanent (other 4xx: validation, authorization, locks, policy, not found).
 *
 * @example
 * classifyError(restErrorWith429AndRetryAfter5);
 * // { kind: 'transient', code: 'TooManyRequests', status: 429, message: '…', retryAfterMs: 5000 }
 */
export function classifyError(err: unknown, now: () => number = Date.now): ErrorClassification {
  if (err instanceof AppError) {
    // Subclasses may carry what they learned from Azure (`LroFailedError.status`, …).
    const extra = err as AppError & { status?: unknown; retryAfterMs?: unknown };
    return compact({
      kind: err.kind,
      code: err.code,
      status: typeof extra.status === 'number' ? extra.status : undefined,
      message: err.message,
      retryAfterMs: typeof extra.retryAfterMs === 'number' ? extra.retryAfterMs : undefined,
    });
  }
  if (!(err instanceof Error)) {
    return { kind: 'permanent', code: 'UnknownError', message: String(err) };
  }
  const e = err as Error & {
    code?: unknown;
    statusCode?: unknown;
    status?: unknown;
    response?: { status?: number; headers?: unknown; bodyAsText?: string | null };
    details?: unknown;
  };
  if (e.name === 'AbortError') {
    return { kind: 'transient', code: 'Aborted', message: e.message };
  }
  const status =
    typeof e.statusCode === 'number'
      ? e.statusCode
      : typeof e.status === 'number'
        ? e.status
        : e.response?.status;
  const body = armErrorBody(e);
  const nodeCode = typeof e.code === 'string' ? e.code : undefined;
  const code = body?.code ?? nodeCode ?? (status ? `Http${status}` : e.name);
  const message = body?.message ?? e.message;
  const retryAfterMs = readRetryAfterMs(e.response?.headers, now);
  const base = compact({ code, status, message, retryAfterMs });

  if (status === undefined) {
    // No response at all: the request never got an answer (reset, timeout, DNS, TLS hiccup).
    const network =
      (nodeCode !== undefined && transientNetworkCodes.has(nodeCode)) ||
      /socket hang up|network|ECONNRESET|ETIMEDOUT|timed? ?out/i.test(e.message) ||
      e.name === 'RestError';
    return { kind: network ? 'transient' : 'permanent', ...base };
  }
  if (status === 429 || status === 408) return { kind: 'transient', ...base };
  if (status >= 500) return { kind: status === 501 ? 'permanent' : 'transient', ...base };
  if (permanentArmCodes.has(code)) return { kind: 'permanent', ...base };
  if (status === 409 && transientConflictCodes.has(code)) return { kind: 'transient', ...base };
  if (transientWithRetryAfterCodes.has(code) && retryAfterMs !== undefined) {
    return { kind: 'transient', ...base };
  }
  return { kind: 'permanent', ...base };
}

/** ARM's `{"error":{"code","message"}}`, from wherever the SDK left it. */
function armErrorBody(
  e: Error & { code?: unknown; details?: unknown; response?: { bodyAsText?: string | null } },
): { code?: string; message?: string } | undefined {
  const fromDetails = pickError(e.details);
  if (fromDetails?.code) return fromDetails;
  const text = e.response?.bodyAsText;
  if (typeof text === 'string' && text.length > 0) {
    try {
      const parsed = pickError(JSON.parse(text));
      if (parsed?.code) return parsed;
    } catch {
      // Not JSON (an HTML error page from a proxy, say): fall back to the error's own fields.
    }
  }
  return undefined;
}

function pickError(value: unknown): { code?: string; message?: string } | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as { error?: unknown; code?: unknown; message?: unknown };
  const inner = (v.error && typeof v.error === 'object' ? v.error : v) as {
    code?: unknown;
    message?: unknown;
  };
  const code = typeof inner.code === 'string' ? inner.code : undefined;
  const message = typeof inner.message === 'string' ? inner.message : undefined;
  return code || message ? compact({ code, message }) : undefined;
}

/**
 * Reads how long the server asked us to wait, from `retry-after-ms`, `x-ms-retry-after-ms` or
 * `Retry-After` (delta-seconds or an HTTP date). Accepts a core `HttpHeaders`, a `Headers`,
 * or a plain object.
 *
 * @example
 * readRetryAfterMs({ 'retry-after': '5' }); // 5000
 */
export function readRetryAfterMs(
  headers: unknown,
  now: () => number = Date.now,
): number | undefined {
  const get = headerGetter(headers);
  if (!get) return undefined;
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const ms = Number(get(name));
    const raw = get(name);
    if (raw !== undefined && raw.trim() !== '' && Number.isFinite(ms) && ms >= 0) return ms;
  }
  return parseRetryAfter(get('retry-after'), now);
}

/**
 * Parses a `Retry-After` value: delta-seconds (`"120"`) or an HTTP date. Dates in the past give 0.
 *
 * @example
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', () => Date.parse('2015-10-21T07:27:00Z')); // 60000
 */
export function parseRetryAfter(
  value: string | undefined | null,
  now: () => number = Date.now,
): number | undefined {
  if (value === undefined || value === null) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now());
}

function headerGetter(headers: unknown): ((name: string) => string | undefined) | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const h = headers as { get?: unknown };
  if (typeof h.get === 'function') {
    return (name) =>
      (h.get as (n: string) => string | null | undefined).call(headers, name) ?? undefined;
  }
  const lower = new Map(
    Object.entries(headers as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]),
  );
  return (name) => {
    const v = lower.get(name);
    return typeof v === 'string' ? v : undefined;
  };
}

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
