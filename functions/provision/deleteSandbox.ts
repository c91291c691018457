import { requestTeardown } from '../../services/provisioning/requestTeardown.js';
import { registerHttpFunction } from '../../shared/functions/httpFunction.js';
import { acceptedOperation } from './acceptedOperation.js';
import { provisioningFunction } from './provisioningFunction.js';

/** `DELETE /api/sandboxes/{name}[?owner=]`: 202 with the teardown operation to follow. */
export const deleteSandbox = provisioningFunction('deleteSandbox', {
  route: 'api/sandboxes/{name}',
  methods: ['DELETE'],
  async handle({ params, query, caller, ports }) {
    const owner = query.get('owner') ?? undefined;
    const operation = await requestTeardown(ports, {
      name: params.name ?? '',
      caller,
      ...(owner === undefined ? {} : { owner }),
    });
    return acceptedOperation(operation);
  },
});

registerHttpFunction(deleteSandbox);
