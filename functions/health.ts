import { registerPublicHttpFunction } from '../shared/functions/httpFunction.js';

/** Liveness for load balancers and the local stack: answers without a token or touching Azure. */
registerPublicHttpFunction({
  name: 'health',
  route: 'api/health',
  methods: ['GET'],
  handle: async () => ({ status: 200, jsonBody: { status: 'ok' } }),
});
