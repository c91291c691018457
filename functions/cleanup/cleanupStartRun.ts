import { parseCleanupRunRequest } from '../../services/cleanup/parseCleanupRunRequest.js';
import { requestCleanupRun } from '../../services/cleanup/requestCleanupRun.js';
import { APP_ROLES } from '../../shared/auth/Caller.js';
import { acceptedRun, cleanupAction, registerCleanupAction } from './adminRoutes.js';

/** `POST /api/cleanup[/principal]/runs` `{ "dryRun": true|false }` → 202 with the run to follow. */
export const startCleanupRun = cleanupAction('cleanupStartRun', 'runs', [APP_ROLES.admin], {
  body: 'optional-json',
  async handle({ body, caller, ports: { ports, settings } }) {
    const run = await requestCleanupRun(
      {
        mode: parseCleanupRunRequest(body),
        trigger: 'http',
        requestedBy: caller.name,
        requestedById: caller.id,
        subscriptions: settings.subscriptions,
      },
      ports,
    );
    return acceptedRun(run);
  },
});

registerCleanupAction(startCleanupRun);
