import { getOperation } from '../../services/provisioning/getOperation.js';
import { isTerminal } from '../../services/provisioning/Operation.js';
import { registerHttpFunction } from '../../shared/functions/httpFunction.js';
import { POLL_AFTER_SECONDS } from './acceptedOperation.js';
import { provisioningFunction } from './provisioningFunction.js';

/** `GET /api/operations/{id}`: status, steps, timestamps, and ARM's error on failure. */
export const getOperationStatus = provisioningFunction('getOperationStatus', {
  route: 'api/operations/{id}',
  methods: ['GET'],
  async handle({ params, caller, ports }) {
    const operation = await getOperation(ports, caller, params.id ?? '');
    // The stored request and the poller state are the worker's business, not the caller's.
    const { request: _request, lastTransientError: _last, ...visible } = operation;
    const steps = operation.steps.map(({ resumeToken: _token, ...step }) => step);
    const headers: Record<string, string> = isTerminal(operation.status)
      ? {}
      : { 'retry-after': String(POLL_AFTER_SECONDS) };
    return {
      status: 200,
      headers,
      jsonBody: {
        ...visible,
        steps,
        blueprint: operation.request?.blueprint,
        location: operation.request?.location,
      },
    };
  },
});

registerHttpFunction(getOperationStatus);
