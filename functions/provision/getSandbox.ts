import { app } from '@azure/functions';
import { getSandbox } from '../../services/provisioning/getSandbox.js';
import { provisioningDeps } from './provisioningDeps.js';
import { type DepsProvider, sandboxHttpHandler } from './sandboxHttpHandler.js';

/** `GET /api/sandboxes/{name}`: owner, expiry, blueprint and state from the group's tags. */
export const getSandboxHandler = (getDeps: DepsProvider) =>
  sandboxHttpHandler(getDeps, async (request, deps) => ({
    status: 200,
    jsonBody: await getSandbox(deps, request.params.name ?? ''),
  }));

app.http('getSandbox', {
  route: 'sandboxes/{name}',
  methods: ['GET'],
  authLevel: 'function',
  handler: getSandboxHandler(provisioningDeps),
});
