import { updateSandbox as updateTags } from '../../services/provisioning/updateSandbox.js';
import { registerHttpFunction } from '../../shared/functions/httpFunction.js';
import { provisioningFunction } from './provisioningFunction.js';

/** `PATCH /api/sandboxes/{name}` with `{ powerSchedule, owner? }`: the sandbox as it is now. */
export const updateSandbox = provisioningFunction('updateSandbox', {
  route: 'api/sandboxes/{name}',
  methods: ['PATCH'],
  body: 'json',
  async handle({ params, body, caller, ports }) {
    return {
      status: 200,
      jsonBody: await updateTags(ports, { name: params.name ?? '', caller, body }),
    };
  },
});

registerHttpFunction(updateSandbox);
