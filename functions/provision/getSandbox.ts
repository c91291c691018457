import { getSandbox as readSandbox } from '../../services/provisioning/getSandbox.js';
import { registerHttpFunction } from '../../shared/functions/httpFunction.js';
import { provisioningFunction } from './provisioningFunction.js';

/** `GET /api/sandboxes/{name}`: owner, expiry, blueprint and state from the group's tags. */
export const getSandbox = provisioningFunction('getSandbox', {
  route: 'api/sandboxes/{name}',
  methods: ['GET'],
  async handle({ params, caller, ports }) {
    return { status: 200, jsonBody: await readSandbox(ports, caller, params.name ?? '') };
  },
});

registerHttpFunction(getSandbox);
