// `POST …/runs/{id}/approve`: one handler behind both ways of proving one is an admin.
import type { HttpHandler } from '@azure/functions';
import { approveCleanupRun } from '../../services/cleanup/approveCleanupRun.js';
import { authorizeCleanupAdmin } from '../../services/cleanup/authorizeCleanupAdmin.js';
import { CleanupRunNotFoundError } from '../../services/cleanup/CleanupError.js';
import { CLEANUP_RUN_ID } from '../../services/cleanup/cleanupRecordKeys.js';
import { clientPrincipalHeader } from '../../shared/http/principal.js';
import { createLogger } from '../../shared/logging/logger.js';
import { cleanupInvocation } from './cleanupInvocation.js';
import { cleanupProblem } from './cleanupProblem.js';

export function approveCleanupRunHandler(proof: 'admin-key' | 'principal'): HttpHandler {
  return async (request, context) => {
    const runId = request.params.id ?? '';
    try {
      const { config, ports } = await cleanupInvocation(context, { runId });
      const approvedBy =
        proof === 'admin-key'
          ? 'admin-key'
          : authorizeCleanupAdmin(
              request.headers.get(clientPrincipalHeader),
              config.adminPrincipals,
            );
      if (!CLEANUP_RUN_ID.test(runId)) throw new CleanupRunNotFoundError(runId);
      const run = await approveCleanupRun(runId, approvedBy, ports);
      const location = `/api/cleanup/runs/${run.runId}`;
      return {
        status: 202,
        headers: { Location: location, 'Retry-After': '2' },
        jsonBody: {
          runId,
          mode: run.mode,
          status: run.status,
          approvedBy,
          enqueued: run.enqueued,
          location,
        },
      };
    } catch (error) {
      return cleanupProblem(error, new URL(request.url).pathname, createLogger(context));
    }
  };
}
