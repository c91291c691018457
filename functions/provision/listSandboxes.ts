import { app } from '@azure/functions';
import { isAdmin } from '../../services/provisioning/Caller.js';
import { listSandboxes } from '../../services/provisioning/listSandboxes.js';
import { callerFromRequest } from './callerFromRequest.js';
import { provisioningDeps } from './provisioningDeps.js';
import { type DepsProvider, sandboxHttpHandler } from './sandboxHttpHandler.js';

/**
 * `GET /api/sandboxes?owner=`: sandboxes from ARM's tags. A signed-in non-admin sees their own
 * unless they name an owner.
 */
export const listSandboxesHandler = (getDeps: DepsProvider) =>
  sandboxHttpHandler(getDeps, async (request, deps) => {
    const caller = callerFromRequest(request);
    const owner =
      request.query.get('owner') ??
      (caller && !isAdmin(caller, deps.settings.adminPrincipals) ? caller.name : undefined);
    const sandboxes = await listSandboxes(deps, owner ? { owner } : {});
    return { status: 200, jsonBody: { value: sandboxes } };
  });

app.http('listSandboxes', {
  route: 'sandboxes',
  methods: ['GET'],
  authLevel: 'function',
  handler: listSandboxesHandler(provisioningDeps),
});
