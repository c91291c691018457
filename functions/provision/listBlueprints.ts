import { describeBlueprints } from '../../services/provisioning/describeBlueprints.js';
import { registerHttpFunction } from '../../shared/functions/httpFunction.js';
import { provisioningFunction } from './provisioningFunction.js';

/** `GET /api/blueprints`: each blueprint with the JSON Schema of its parameters. */
export const listBlueprints = provisioningFunction('listBlueprints', {
  route: 'api/blueprints',
  methods: ['GET'],
  async handle({ ports }) {
    return { status: 200, jsonBody: { value: describeBlueprints(ports.blueprints) } };
  },
});

registerHttpFunction(listBlueprints);
