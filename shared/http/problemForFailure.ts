import type { HttpResponseInit } from '@azure/functions';
import { classifyError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import { problem } from './problem.js';

/**
 * The problem+json answer for a failure that no feature-specific mapping recognised. A transient
 * one (throttling, a dependency unavailable) is the server's 503 with `Retry-After`; anything
 * else is a bug, logged and answered with a 500 that reveals nothing.
 *
 * @example
 * if (error instanceof SandboxExistsError) return problem(409, { … });
 * return problemForFailure(error, '/api/sandboxes', logger);
 */
export function problemForFailure(
  error: unknown,
  instance: string,
  logger?: Logger,
): HttpResponseInit {
  const failure = classifyError(error);
  if (failure.kind === 'transient') {
    logger?.warn('request failed transiently', { code: failure.code, error });
    const retryAfterSeconds = Math.max(1, Math.ceil((failure.retryAfterMs ?? 5000) / 1000));
    return problem(503, {
      title: 'Service Unavailable',
      detail: 'A dependency is busy or unreachable; retry later.',
      instance,
      code: failure.code,
      headers: { 'retry-after': String(retryAfterSeconds) },
    });
  }
  logger?.error('request failed unexpectedly', { code: failure.code, error });
  return problem(500, {
    detail: 'Unexpected error; it has been logged.',
    instance,
    code: failure.code,
  });
}
