import { registerHttpFunction } from '../../shared/functions/httpFunction.js';
import { provisioningFunction } from './provisioningFunction.js';

/** `GET /api/policy`: what a sandbox request may ask for (locations, lease, sizes, quota). */
export const getPolicy = provisioningFunction('getPolicy', {
  route: 'api/policy',
  methods: ['GET'],
  async handle({ ports }) {
    return { status: 200, jsonBody: ports.settings.policy };
  },
});

registerHttpFunction(getPolicy);
