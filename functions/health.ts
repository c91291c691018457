import { app } from '@azure/functions';

/** Liveness for load balancers and the local stack: answers without touching Azure. */
app.http('health', {
  route: 'health',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: async () => ({ status: 200, jsonBody: { status: 'ok' } }),
});
