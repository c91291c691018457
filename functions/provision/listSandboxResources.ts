import { listSandboxResources as listResources } from '../../services/provisioning/listSandboxResources.js';
import { registerHttpFunction } from '../../shared/functions/httpFunction.js';
import { provisioningFunction } from './provisioningFunction.js';

/** `GET /api/sandboxes/{name}/resources`: what ARM holds in the sandbox's group now. */
export const listSandboxResources = provisioningFunction('listSandboxResources', {
  route: 'api/sandboxes/{name}/resources',
  methods: ['GET'],
  async handle({ params, caller, ports }) {
    return {
      status: 200,
      jsonBody: { value: await listResources(ports, caller, params.name ?? '') },
    };
  },
});

registerHttpFunction(listSandboxResources);
