import { listSandboxes as listViews } from '../../services/provisioning/listSandboxes.js';
import { isAdmin } from '../../shared/auth/Caller.js';
import { registerHttpFunction } from '../../shared/functions/httpFunction.js';
import { provisioningFunction } from './provisioningFunction.js';

/**
 * `GET /api/sandboxes?owner=`: sandboxes from ARM's tags. A signed-in non-admin sees their own
 * unless they name an owner.
 */
export const listSandboxes = provisioningFunction('listSandboxes', {
  route: 'sandboxes',
  methods: ['GET'],
  async handle({ query, caller, ports }) {
    const owner =
      query.get('owner') ??
      (caller && !isAdmin(caller, ports.settings.adminPrincipals) ? caller.name : undefined);
    const sandboxes = await listViews(ports, owner ? { owner } : {});
    return { status: 200, jsonBody: { value: sandboxes } };
  },
});

registerHttpFunction(listSandboxes);
