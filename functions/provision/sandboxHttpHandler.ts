import type {
  HttpHandler,
  HttpRequest,
  HttpResponseInit,
  InvocationContext,
} from '@azure/functions';
import type { ProvisioningDeps } from '../../services/provisioning/ProvisioningDeps.js';
import { runWithCorrelation } from '../../shared/correlation.js';
import { createLogger } from '../../shared/logging/logger.js';
import { toProblemResponse } from './toProblemResponse.js';

/** How a function gets its ports; tests pass in-memory fakes. */
export type DepsProvider = (context: InvocationContext) => Promise<ProvisioningDeps>;

/**
 * Wraps a provisioning HTTP handler: gives it the ports, runs it under the invocation's
 * correlation, and turns anything it throws into problem+json.
 *
 * @example
 * export const getSandboxHandler = (getDeps: DepsProvider) =>
 *   sandboxHttpHandler(getDeps, async (request, deps) => ({ jsonBody: await getSandbox(deps, request.params.name!) }));
 */
export function sandboxHttpHandler(
  getDeps: DepsProvider,
  handle: (
    request: HttpRequest,
    deps: ProvisioningDeps,
    context: InvocationContext,
  ) => Promise<HttpResponseInit>,
): HttpHandler {
  return (request, context) =>
    runWithCorrelation({ invocationId: context.invocationId }, async () => {
      try {
        const deps = await getDeps(context);
        return await handle(request, deps, context);
      } catch (error) {
        return toProblemResponse(error, request.url, createLogger(context));
      }
    });
}
