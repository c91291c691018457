import { requestSandbox } from '../../services/provisioning/requestSandbox.js';
import { registerHttpFunction } from '../../shared/functions/httpFunction.js';
import { acceptedOperation } from './acceptedOperation.js';
import { provisioningFunction } from './provisioningFunction.js';

/** `POST /api/sandboxes`: 202 with the operation to follow. */
export const createSandbox = provisioningFunction('createSandbox', {
  route: 'api/sandboxes',
  methods: ['POST'],
  body: 'json',
  async handle({ request, body, caller, ports }) {
    const idempotencyKey = request.headers.get('idempotency-key') ?? undefined;
    const { operation, replayed } = await requestSandbox(ports, {
      body,
      caller,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    });
    return acceptedOperation(operation, replayed ? { 'idempotent-replayed': 'true' } : {});
  },
});

registerHttpFunction(createSandbox);
