// `POST …/runs`: one handler behind both ways of proving one is an admin (see the two functions).
import type { HttpHandler } from '@azure/functions';
import { authorizeCleanupAdmin } from '../../services/cleanup/authorizeCleanupAdmin.js';
import { parseCleanupRunRequest } from '../../services/cleanup/parseCleanupRunRequest.js';
import { requestCleanupRun } from '../../services/cleanup/requestCleanupRun.js';
import { clientPrincipalHeader } from '../../shared/http/principal.js';
import { createLogger } from '../../shared/logging/logger.js';
import { cleanupInvocation } from './cleanupInvocation.js';
import { cleanupProblem } from './cleanupProblem.js';

export function startCleanupRunHandler(proof: 'admin-key' | 'principal'): HttpHandler {
  return async (request, context) => {
    try {
      const { config, ports } = await cleanupInvocation(context);
      const requestedBy =
        proof === 'admin-key'
          ? 'admin-key'
          : authorizeCleanupAdmin(
              request.headers.get(clientPrincipalHeader),
              config.adminPrincipals,
            );
      const mode = parseCleanupRunRequest(await request.text());
      const run = await requestCleanupRun(
        { mode, trigger: 'http', requestedBy, subscriptions: config.cleanup.subscriptions },
        ports,
      );
      const location = `/api/cleanup/runs/${run.runId}`;
      return {
        status: 202,
        headers: { Location: location, 'Retry-After': '2' },
        jsonBody: { runId: run.runId, mode: run.mode, status: run.status, location },
      };
    } catch (error) {
      return cleanupProblem(error, new URL(request.url).pathname, createLogger(context));
    }
  };
}
