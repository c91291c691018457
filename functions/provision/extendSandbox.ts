import { extendSandbox as extendLease } from '../../services/provisioning/extendSandbox.js';
import { registerHttpFunction } from '../../shared/functions/httpFunction.js';
import { provisioningFunction } from './provisioningFunction.js';

/** `POST /api/sandboxes/{name}/extend` with `{ ttlHours, owner? }`: the new lease. */
export const extendSandbox = provisioningFunction('extendSandbox', {
  route: 'api/sandboxes/{name}/extend',
  methods: ['POST'],
  body: 'json',
  async handle({ params, body, caller, ports }) {
    const sandbox = await extendLease(ports, { name: params.name ?? '', caller, body });
    return { status: 200, jsonBody: sandbox };
  },
});

registerHttpFunction(extendSandbox);
