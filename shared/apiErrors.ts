/**
 * The semantic errors every feature subclasses: a failure that a caller can act on, each carrying
 * the HTTP status it answers with and its problem type. The HTTP adapter turns any of them into
 * one problem+json shape (`problemResponse`); the queue adapter reads their `kind` to decide
 * between a retry and giving up.
 *
 * A feature names its own failures by subclassing the base that says what they mean:
 *
 * @example
 * export class SandboxNotFoundError extends NotFoundError {
 *   constructor(readonly sandbox: string) {
 *     super(`No sandbox named '${sandbox}'.`, { code: 'SandboxNotFound', title: 'Sandbox not found' });
 *   }
 * }
 */
import { AppError, type ErrorKind } from './errors.js';

/** One failed check, named so the caller knows which rule or field to fix. */
export interface Violation {
  /** The rule or field that failed: `location-allowed`, `ttlHours`, `parameters.adminUsername`. */
  rule: string;
  message: string;
}

export interface ApiErrorOptions {
  /** A stable machine-readable code, for example `SandboxNotFound`. Its kebab-case names the problem type. */
  code: string;
  /** Short and human, the same for every occurrence of the code. Default: the base's title. */
  title?: string;
  cause?: unknown;
  /**
   * RFC 9457 extension members that tell the caller what to do next, for example the
   * `operationId` of the work already under way. Never a secret: they go into the body as is.
   */
  extensions?: ProblemExtensions;
}

/** Extension members of a problem body (names other than RFC 9457's own). */
export type ProblemExtensions = Readonly<Record<string, string | number>>;

/** The base of every error a request can end in on purpose. */
export abstract class ApiError extends AppError {
  /** The HTTP status the API answers with. */
  abstract readonly status: number;
  readonly title: string;
  readonly extensions: ProblemExtensions | undefined;
  protected constructor(
    message: string,
    options: Partial<ApiErrorOptions>,
    defaults: { code: string; title: string; kind?: ErrorKind },
  ) {
    super(message, {
      kind: defaults.kind ?? 'permanent',
      code: options.code ?? defaults.code,
      cause: options.cause,
    });
    this.name = new.target.name;
    this.title = options.title ?? defaults.title;
    this.extensions = options.extensions;
  }
}

/** The request is malformed: wrong shape, unknown field, bad parameter. 400, with `errors[]`. */
export class ValidationError extends ApiError {
  readonly status: number = 400;
  readonly violations: readonly Violation[];
  constructor(
    violations: readonly Violation[],
    options: Partial<ApiErrorOptions> & { message?: string } = {},
  ) {
    const message = options.message ?? `Invalid request: ${describeViolations(violations)}`;
    super(message, options, { code: 'InvalidRequest', title: 'Invalid request' });
    this.violations = violations;
  }
}

/** The request's body is unusable as it is sent, before anyone reads what it says. */
abstract class UnusableBodyError extends ValidationError {
  constructor(rule: string, detail: string, code: string, title: string) {
    super([{ rule, message: detail }], { code, title, message: detail });
  }
}

/** The body is not `application/json`. 415. */
export class UnsupportedMediaTypeError extends UnusableBodyError {
  override readonly status = 415;
  constructor(detail: string) {
    super('content-type', detail, 'UnsupportedMediaType', 'Unsupported Media Type');
  }
}

/** The body is larger than the route accepts. 413. */
export class ContentTooLargeError extends UnusableBodyError {
  override readonly status = 413;
  constructor(detail: string) {
    super('body', detail, 'ContentTooLarge', 'Content Too Large');
  }
}

/** Nobody could be identified, or the credential is unreadable. 401. */
export class UnauthorizedError extends ApiError {
  readonly status = 401;
  constructor(message: string, options: Partial<ApiErrorOptions> = {}) {
    super(message, options, { code: 'Unauthorized', title: 'Unauthorized' });
  }
}

/** The caller is known but may not do this. 403. */
export class ForbiddenError extends ApiError {
  readonly status = 403;
  constructor(message: string, options: Partial<ApiErrorOptions> = {}) {
    super(message, options, { code: 'Forbidden', title: 'Forbidden' });
  }
}

/** What the request names does not exist (or is not the caller's to see). 404. */
export class NotFoundError extends ApiError {
  readonly status = 404;
  constructor(message: string, options: ApiErrorOptions) {
    super(message, options, { code: options.code, title: 'Not found' });
  }
}

/** The request contradicts the current state: a name taken, a run not approvable. 409. */
export class ConflictError extends ApiError {
  readonly status = 409;
  constructor(message: string, options: ApiErrorOptions) {
    super(message, options, { code: options.code, title: 'Conflict' });
  }
}

/** The request is well formed but a policy forbids it; each violation names its rule. 422. */
export class PolicyViolationError extends ApiError {
  readonly status = 422;
  readonly violations: readonly Violation[];
  constructor(violations: readonly Violation[], options: Partial<ApiErrorOptions> = {}) {
    super(`Policy violated: ${describeViolations(violations)}`, options, {
      code: 'PolicyViolation',
      title: 'Policy violation',
    });
    this.violations = violations;
  }
}

/** Not now: a dependency is busy or unavailable; try again after `retryAfterMs`. 503. */
export class TransientError extends ApiError {
  readonly status = 503;
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: ApiErrorOptions & { retryAfterMs?: number }) {
    super(message, options, {
      code: options.code,
      title: 'Service Unavailable',
      kind: 'transient',
    });
    this.retryAfterMs = options.retryAfterMs;
  }
}

function describeViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `${v.rule}: ${v.message}`).join('; ');
}

/** The caller sent more writes than its share; try again after `retryAfterMs`. 429. */
export class TooManyRequestsError extends ApiError {
  readonly status = 429;
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message, {}, { code: 'TooManyRequests', title: 'Too Many Requests', kind: 'transient' });
  }
}
