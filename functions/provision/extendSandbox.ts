import { app } from '@azure/functions';
import { extendSandbox } from '../../services/provisioning/extendSandbox.js';
import { callerFromRequest } from './callerFromRequest.js';
import { provisioningDeps } from './provisioningDeps.js';
import { readJsonBody } from './readJsonBody.js';
import { type DepsProvider, sandboxHttpHandler } from './sandboxHttpHandler.js';

/** `POST /api/sandboxes/{name}/extend` with `{ ttlHours, owner? }`: the new lease. */
export const extendSandboxHandler = (getDeps: DepsProvider) =>
  sandboxHttpHandler(getDeps, async (request, deps) => {
    const caller = callerFromRequest(request);
    const body = await readJsonBody(request);
    const sandbox = await extendSandbox(deps, { name: request.params.name ?? '', caller, body });
    return { status: 200, jsonBody: sandbox };
  });

app.http('extendSandbox', {
  route: 'sandboxes/{name}/extend',
  methods: ['POST'],
  authLevel: 'function',
  handler: extendSandboxHandler(provisioningDeps),
});
