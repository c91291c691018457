// Maps the cleanup services' errors to problem+json responses.
import type { HttpResponseInit } from '@azure/functions';
import {
  CleanupRunNotApprovableError,
  CleanupRunNotFoundError,
  InvalidCleanupRequestError,
  NotCleanupAdminError,
} from '../../services/cleanup/CleanupError.js';
import { problem } from '../../shared/http/problem.js';
import { problemForFailure } from '../../shared/http/problemForFailure.js';
import type { Logger } from '../../shared/logging/logger.js';

export function cleanupProblem(
  error: unknown,
  instance: string,
  logger?: Logger,
): HttpResponseInit {
  const code = (error as { code?: string }).code;
  const detail = error instanceof Error ? error.message : String(error);
  if (error instanceof InvalidCleanupRequestError) return problem(400, { detail, instance, code });
  if (error instanceof NotCleanupAdminError) {
    return problem(error.caller ? 403 : 401, { detail, instance, code });
  }
  if (error instanceof CleanupRunNotFoundError) return problem(404, { detail, instance, code });
  if (error instanceof CleanupRunNotApprovableError) {
    return problem(409, { detail, instance, code, status: error.status });
  }
  return problemForFailure(error, instance, logger);
}
