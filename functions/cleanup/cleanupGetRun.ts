import { app } from '@azure/functions';
import { CleanupRunNotFoundError } from '../../services/cleanup/CleanupError.js';
import { getCleanupRun, getCleanupSummary } from '../../services/cleanup/getCleanupRun.js';
import { createLogger } from '../../shared/logging/logger.js';
import { cleanupInvocation } from './cleanupInvocation.js';
import { cleanupProblem } from './cleanupProblem.js';

/**
 * `GET /api/cleanup/runs/{id}` (or `latest`): the run as JSON; with `?format=markdown` or
 * `Accept: text/markdown`, its Markdown summary.
 */
app.http('cleanupGetRun', {
  route: 'cleanup/runs/{id}',
  methods: ['GET'],
  authLevel: 'function',
  handler: async (request, context) => {
    try {
      const { ports } = await cleanupInvocation(context);
      const view = await getCleanupRun(request.params.id ?? '', ports);
      const markdown =
        request.query.get('format') === 'markdown' ||
        (request.headers.get('accept') ?? '').includes('text/markdown');
      if (!markdown) return { status: 200, jsonBody: view };
      const summary = await getCleanupSummary(view.runId, ports);
      if (summary === undefined) throw new CleanupRunNotFoundError(`${view.runId} (summary)`);
      return {
        status: 200,
        headers: { 'content-type': 'text/markdown; charset=utf-8' },
        body: summary,
      };
    } catch (error) {
      return cleanupProblem(error, new URL(request.url).pathname, createLogger(context));
    }
  },
});
