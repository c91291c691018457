import { app } from '@azure/functions';
import { requestTeardown } from '../../services/provisioning/requestTeardown.js';
import { callerFromRequest } from './callerFromRequest.js';
import { POLL_AFTER_SECONDS } from './createSandbox.js';
import { provisioningDeps } from './provisioningDeps.js';
import { type DepsProvider, sandboxHttpHandler } from './sandboxHttpHandler.js';

/** `DELETE /api/sandboxes/{name}[?owner=]`: 202 with the teardown operation to follow. */
export const deleteSandboxHandler = (getDeps: DepsProvider) =>
  sandboxHttpHandler(getDeps, async (request, deps) => {
    const caller = callerFromRequest(request);
    const owner = request.query.get('owner') ?? undefined;
    const operation = await requestTeardown(deps, {
      name: request.params.name ?? '',
      caller,
      ...(owner === undefined ? {} : { owner }),
    });
    const location = `/api/operations/${operation.id}`;
    return {
      status: 202,
      headers: { location, 'retry-after': String(POLL_AFTER_SECONDS) },
      jsonBody: {
        operationId: operation.id,
        sandbox: operation.sandbox,
        status: operation.status,
        location,
      },
    };
  });

app.http('deleteSandbox', {
  route: 'sandboxes/{name}',
  methods: ['DELETE'],
  authLevel: 'function',
  handler: deleteSandboxHandler(provisioningDeps),
});
