import { httpFunction, registerHttpFunction } from '../shared/functions/httpFunction.js';

/** Liveness for load balancers and the local stack: answers without touching Azure. */
export const health = httpFunction('health', {
  route: 'health',
  methods: ['GET'],
  authLevel: 'anonymous',
  async handle() {
    return { status: 200, jsonBody: { status: 'ok' } };
  },
});

registerHttpFunction(health);
