import { getSandboxHistory as readHistory } from '../../services/provisioning/getSandboxHistory.js';
import { registerHttpFunction } from '../../shared/functions/httpFunction.js';
import { provisioningFunction } from './provisioningFunction.js';

/** `GET /api/sandboxes/{name}/history`: the sandbox's audit entries, newest first. */
export const getSandboxHistory = provisioningFunction('getSandboxHistory', {
  route: 'api/sandboxes/{name}/history',
  methods: ['GET'],
  async handle({ params, caller, ports }) {
    return {
      status: 200,
      jsonBody: { value: await readHistory(ports, caller, params.name ?? '') },
    };
  },
});

registerHttpFunction(getSandboxHistory);
