import { app } from '@azure/functions';
import { getOperation } from '../../services/provisioning/getOperation.js';
import { isTerminal } from '../../services/provisioning/Operation.js';
import { POLL_AFTER_SECONDS } from './createSandbox.js';
import { provisioningDeps } from './provisioningDeps.js';
import { type DepsProvider, sandboxHttpHandler } from './sandboxHttpHandler.js';

/** `GET /api/operations/{id}`: status, steps, timestamps, and ARM's error on failure. */
export const getOperationStatusHandler = (getDeps: DepsProvider) =>
  sandboxHttpHandler(getDeps, async (request, deps) => {
    const operation = await getOperation(deps, request.params.id ?? '');
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
  });

app.http('getOperationStatus', {
  route: 'operations/{id}',
  methods: ['GET'],
  authLevel: 'function',
  handler: getOperationStatusHandler(provisioningDeps),
});
