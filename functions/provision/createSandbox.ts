import { app } from '@azure/functions';
import { requestSandbox } from '../../services/provisioning/requestSandbox.js';
import { callerFromRequest } from './callerFromRequest.js';
import { provisioningDeps } from './provisioningDeps.js';
import { readJsonBody } from './readJsonBody.js';
import { type DepsProvider, sandboxHttpHandler } from './sandboxHttpHandler.js';

/** Seconds a caller should wait before polling the operation. */
export const POLL_AFTER_SECONDS = 2;

/** `POST /api/sandboxes`: 202 with the operation to follow. */
export const createSandboxHandler = (getDeps: DepsProvider) =>
  sandboxHttpHandler(getDeps, async (request, deps) => {
    const caller = callerFromRequest(request);
    const body = await readJsonBody(request);
    const idempotencyKey = request.headers.get('idempotency-key') ?? undefined;
    const { operation, replayed } = await requestSandbox(deps, {
      body,
      caller,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    });
    const location = `/api/operations/${operation.id}`;
    return {
      status: 202,
      headers: {
        location,
        'retry-after': String(POLL_AFTER_SECONDS),
        ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
      },
      jsonBody: {
        operationId: operation.id,
        sandbox: operation.sandbox,
        status: operation.status,
        location,
      },
    };
  });

app.http('createSandbox', {
  route: 'sandboxes',
  methods: ['POST'],
  authLevel: 'function',
  handler: createSandboxHandler(provisioningDeps),
});
