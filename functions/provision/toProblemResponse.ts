import type { HttpResponseInit } from '@azure/functions';
import {
  EnqueueFailedError,
  IdempotencyKeyReuseError,
  InvalidRequestError,
  NotSandboxOwnerError,
  OperationNotFoundError,
  PolicyViolationError,
  SandboxExistsError,
  SandboxNotFoundError,
  type Violation,
} from '../../services/provisioning/ProvisioningError.js';
import { problem } from '../../shared/http/problem.js';
import { problemForFailure } from '../../shared/http/problemForFailure.js';
import type { Logger } from '../../shared/logging/logger.js';
import { HttpInputError } from './HttpInputError.js';

// Problem types name the failure; RFC 9457 prefers a non-resolvable URI where no page documents it.
const TYPE = 'urn:sandbox-automation:problem:';

/**
 * The problem+json answer for anything a provisioning HTTP function throws. Client mistakes map
 * to their 4xx; a transient failure (throttling, storage unavailable) to 503 with `Retry-After`;
 * only a genuine bug is a 500, and it is logged.
 *
 * @example
 * catch (error) { return toProblemResponse(error, request.url, log); }
 */
export function toProblemResponse(error: unknown, instance: string, log: Logger): HttpResponseInit {
  const path = new URL(instance, 'http://localhost').pathname;
  if (error instanceof HttpInputError) {
    return problem(error.status, {
      type: `${TYPE}${error.code}`,
      title: error.title,
      detail: error.message,
      instance: path,
    });
  }
  if (error instanceof InvalidRequestError)
    return withViolations(400, 'invalid-request', 'Invalid request', error, path);
  if (error instanceof PolicyViolationError)
    return withViolations(422, 'policy-violation', 'Policy violation', error, path);
  const known: [new (...args: never[]) => Error, number, string, string][] = [
    [IdempotencyKeyReuseError, 422, 'idempotency-key-reuse', 'Idempotency-Key reused'],
    [SandboxExistsError, 409, 'sandbox-exists', 'Sandbox exists'],
    [NotSandboxOwnerError, 403, 'forbidden', 'Forbidden'],
    [SandboxNotFoundError, 404, 'sandbox-not-found', 'Sandbox not found'],
    [OperationNotFoundError, 404, 'operation-not-found', 'Operation not found'],
  ];
  for (const [type, status, slug, title] of known) {
    if (error instanceof type)
      return problem(status, {
        type: `${TYPE}${slug}`,
        title,
        detail: error.message,
        instance: path,
      });
  }
  if (error instanceof EnqueueFailedError) {
    log.warn('request accepted but not queued', { operationId: error.operationId });
    return problem(503, {
      type: `${TYPE}enqueue-failed`,
      title: 'Service Unavailable',
      detail: error.message,
      instance: path,
      operationId: error.operationId,
      headers: { 'retry-after': '5' },
    });
  }
  return problemForFailure(error, path, log);
}

function withViolations(
  status: number,
  slug: string,
  title: string,
  error: { message: string; violations: readonly Violation[] },
  instance: string,
): HttpResponseInit {
  return problem(status, {
    type: `${TYPE}${slug}`,
    title,
    detail: error.message,
    instance,
    errors: error.violations.map((v) => ({
      pointer:
        /^[a-z][\w.]*$/i.test(v.rule) && !v.rule.includes('-')
          ? `/${v.rule.replaceAll('.', '/')}`
          : '/',
      detail: v.message,
      rule: v.rule,
    })),
  });
}
