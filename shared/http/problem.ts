/**
 * RFC 9457 problem details (`application/problem+json`), the body of every error the HTTP API
 * answers.
 */
import type { HttpResponseInit } from '@azure/functions';

/** One field-level problem, for validation failures. */
export interface ProblemFieldError {
  /** Where in the request: a JSON pointer (`/ttlHours`) or a header name. */
  pointer: string;
  detail: string;
  /** The rule that failed, for example `allowed-locations`. */
  rule?: string;
}

export interface ProblemDetails {
  /** A URI reference naming the problem type. Default `about:blank`. */
  type?: string;
  /** Short, human, the same for every occurrence of the type. Default: the status's reason phrase. */
  title?: string;
  /** This occurrence, for a person. */
  detail?: string;
  /** This occurrence, as a URI reference (for example the request path). */
  instance?: string;
  errors?: ProblemFieldError[];
  /** Extension members (`operationId`, `code`, …); they cannot override the standard ones. */
  [extension: string]: unknown;
}

export interface ProblemOptions extends ProblemDetails {
  /** Extra response headers, for example `Retry-After` or `WWW-Authenticate`. */
  headers?: Record<string, string>;
}

const reasons: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * A problem+json response.
 *
 * @example
 * return problem(409, { title: 'Sandbox exists', detail: `A sandbox named ${name} already exists.` });
 * // { status: 409, headers: { 'content-type': 'application/problem+json' }, jsonBody: { type: 'about:blank', title: 'Sandbox exists', status: 409, detail: '…' } }
 */
export function problem(status: number, options: ProblemOptions = {}): HttpResponseInit {
  if (!Number.isInteger(status) || status < 400 || status > 599) {
    throw new RangeError(`a problem response needs a 4xx or 5xx status, got ${status}`);
  }
  const { headers, type, title, detail, instance, errors, ...extensions } = options;
  const body: Record<string, unknown> = {
    ...extensions,
    type: type ?? 'about:blank',
    title: title ?? reasons[status] ?? (status < 500 ? 'Client Error' : 'Server Error'),
    status,
  };
  if (detail !== undefined) body.detail = detail;
  if (instance !== undefined) body.instance = instance;
  if (errors !== undefined && errors.length > 0) body.errors = errors;
  return {
    status,
    headers: { ...headers, 'content-type': 'application/problem+json' },
    jsonBody: body,
  };
}
