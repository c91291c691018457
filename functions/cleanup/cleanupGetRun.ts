import { cleanupContext } from '../../services/cleanup/CleanupPorts.js';
import { CleanupRunNotFoundError } from '../../services/cleanup/errors.js';
import { getCleanupRun, getCleanupSummary } from '../../services/cleanup/getCleanupRun.js';
import { APP_ROLES } from '../../shared/auth/Caller.js';
import { httpFunction, registerHttpFunction } from '../../shared/functions/httpFunction.js';

/**
 * `GET /api/cleanup/runs/{id}` (or `latest`): the run as JSON; with `?format=markdown` or
 * `Accept: text/markdown`, its Markdown summary.
 */
export const cleanupGetRun = httpFunction('cleanupGetRun', {
  route: 'api/cleanup/runs/{id}',
  methods: ['GET'],
  roles: [APP_ROLES.admin, APP_ROLES.approver],
  purpose: 'Cleanup runs',
  ports: cleanupContext,
  async handle({ request, params, query, ports: { ports } }) {
    const view = await getCleanupRun(params.id ?? '', ports);
    const markdown =
      query.get('format') === 'markdown' ||
      (request.headers.get('accept') ?? '').includes('text/markdown');
    if (!markdown) return { status: 200, jsonBody: view };
    const summary = await getCleanupSummary(view.runId, ports);
    if (summary === undefined) throw new CleanupRunNotFoundError(`${view.runId} (summary)`);
    return {
      status: 200,
      headers: { 'content-type': 'text/markdown; charset=utf-8' },
      body: summary,
    };
  },
});

registerHttpFunction(cleanupGetRun);
