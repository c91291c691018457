import { parseCleanupRunRequest } from '../../services/cleanup/parseCleanupRunRequest.js';
import { requestCleanupRun } from '../../services/cleanup/requestCleanupRun.js';
import { acceptedRun, adminAction, registerAdminAction } from './adminRoutes.js';

/** `POST /api/cleanup[/principal]/runs` `{ "dryRun": true|false }` → 202 with the run to follow. */
export const startCleanupRun = adminAction('cleanupStartRun', 'runs', {
  body: 'optional-json',
  async handle({ body, caller, ports: { ports, settings } }) {
    const run = await requestCleanupRun(
      {
        mode: parseCleanupRunRequest(body),
        trigger: 'http',
        requestedBy: caller!.name,
        subscriptions: settings.subscriptions,
      },
      ports,
    );
    return acceptedRun(run);
  },
});

registerAdminAction(startCleanupRun);
