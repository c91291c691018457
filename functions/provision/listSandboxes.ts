import { listSandboxes as listViews } from '../../services/provisioning/listSandboxes.js';
import { registerHttpFunction } from '../../shared/functions/httpFunction.js';
import { provisioningFunction } from './provisioningFunction.js';

/**
 * `GET /api/sandboxes[?owner=]`: sandboxes from ARM's tags; the caller's own, or, for an admin,
 * every one (or the named owner's).
 */
export const listSandboxes = provisioningFunction('listSandboxes', {
  route: 'api/sandboxes',
  methods: ['GET'],
  async handle({ query, caller, ports }) {
    const owner = query.get('owner') ?? undefined;
    const sandboxes = await listViews(ports, caller, owner === undefined ? {} : { owner });
    return { status: 200, jsonBody: { value: sandboxes } };
  },
});

registerHttpFunction(listSandboxes);
