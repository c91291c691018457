/**
 * RFC 9457 problem details: the one shape of every error the HTTP API answers.
 *
 * Every body has exactly `type`, `title`, `status`, `detail`, `instance` and `code`, plus
 * `errors[]` for a request that failed validation or policy, and the extension members an error
 * names (the `operationId` or `runId` of work already under way). `type` is a URI in one namespace,
 * `urn:sandbox-automation:problem:`, followed by the code in kebab case; `instance` is the
 * request's path.
 */
import type { HttpResponseInit } from '@azure/functions';
import { ApiError, PolicyViolationError, ValidationError, type Violation } from '../apiErrors.js';
import { classifyError } from '../errors.js';
import type { Logger } from '../logging/logger.js';

/** The namespace of every problem type. RFC 9457 prefers a URN where no page documents it. */
export const PROBLEM_TYPE_PREFIX = 'urn:sandbox-automation:problem:';

/** One field-level problem of a validation or policy failure. */
export interface ProblemFieldError {
  /** A JSON pointer into the request (`/ttlHours`), or `/` when the rule is about the whole. */
  pointer: string;
  detail: string;
  /** The rule that failed, for example `location-allowed`. */
  rule: string;
}

/** The body of every error response. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  errors?: ProblemFieldError[];
  /** Extension members (RFC 9457 §3.2). */
  [extension: string]: unknown;
}

/** The media type of every error response. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** What an unexpected failure answers when nothing more can be said. */
const SECONDS_BEFORE_RETRY = 5;

/**
 * The problem+json answer for anything a handler throws. An `ApiError` answers with its own
 * status, title and code; a transient failure from a dependency (throttling, storage unavailable)
 * with 503 and `Retry-After`; anything else is a bug: it is logged and answered with a 500 that
 * reveals nothing.
 *
 * @example
 * catch (error) { return problemResponse(error, new URL(request.url).pathname, logger); }
 */
export function problemResponse(
  error: unknown,
  instance: string,
  logger?: Logger,
): HttpResponseInit {
  if (error instanceof ApiError) {
    const headers: Record<string, string> = {};
    if (error.kind === 'transient') {
      const retryAfterMs = (error as { retryAfterMs?: number }).retryAfterMs;
      headers['retry-after'] = String(retryAfterSeconds(retryAfterMs));
      logger?.warn('request failed transiently', { code: error.code });
    }
    if (error.status === 401) {
      // RFC 6750: how to authenticate, and whether the token sent was the trouble.
      headers['www-authenticate'] =
        error.code === 'InvalidToken' ? 'Bearer error="invalid_token"' : 'Bearer';
    }
    const violations =
      error instanceof ValidationError || error instanceof PolicyViolationError
        ? error.violations
        : undefined;
    return respond(
      {
        ...error.extensions,
        type: problemType(error.code),
        title: error.title,
        status: error.status,
        detail: error.message,
        instance,
        code: error.code,
        ...(violations && violations.length > 0 ? { errors: violations.map(fieldError) } : {}),
      },
      headers,
    );
  }
  const failure = classifyError(error);
  if (failure.kind === 'transient') {
    logger?.warn('request failed transiently', { code: failure.code, error });
    return respond(
      {
        type: problemType('ServiceUnavailable'),
        title: 'Service Unavailable',
        status: 503,
        detail: 'A dependency is busy or unreachable; retry later.',
        instance,
        code: failure.code,
      },
      { 'retry-after': String(retryAfterSeconds(failure.retryAfterMs)) },
    );
  }
  logger?.error('request failed unexpectedly', { code: failure.code, error });
  return respond({
    type: problemType('InternalError'),
    title: 'Internal Server Error',
    status: 500,
    detail: 'Unexpected error; it has been logged.',
    instance,
    code: 'InternalError',
  });
}

/**
 * The problem type URI of a code.
 *
 * @example
 * problemType('SandboxNotFound'); // 'urn:sandbox-automation:problem:sandbox-not-found'
 */
export function problemType(code: string): string {
  const kebab = code
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
  return `${PROBLEM_TYPE_PREFIX}${kebab}`;
}

function respond(body: ProblemBody, headers: Record<string, string> = {}): HttpResponseInit {
  return {
    status: body.status,
    headers: { ...headers, 'content-type': PROBLEM_CONTENT_TYPE },
    jsonBody: body,
  };
}

function retryAfterSeconds(ms: number | undefined): number {
  return Math.max(1, Math.ceil((ms ?? SECONDS_BEFORE_RETRY * 1000) / 1000));
}

/** A rule that names a field (`ttlHours`, `parameters.vmSize`) points at it; a policy rule at `/`. */
function fieldError(v: Violation): ProblemFieldError {
  const isField = /^[a-z][\w.]*$/i.test(v.rule) && !v.rule.includes('-');
  return {
    pointer: isField ? `/${v.rule.replaceAll('.', '/')}` : '/',
    detail: v.message,
    rule: v.rule,
  };
}
