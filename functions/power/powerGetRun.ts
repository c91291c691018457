import { getPowerRun } from '../../services/power/getPowerRun.js';
import { powerPorts } from '../../services/power/PowerPorts.js';
import { httpFunction, registerHttpFunction } from '../../shared/functions/httpFunction.js';

/** `GET /api/power/runs/{id}` (or `latest`): what a run stopped, started and skipped, and why. */
export const powerGetRun = httpFunction('powerGetRun', {
  route: 'power/runs/{id}',
  methods: ['GET'],
  ports: powerPorts,
  async handle({ params, ports }) {
    return { status: 200, jsonBody: await getPowerRun(params.id ?? '', ports) };
  },
});

registerHttpFunction(powerGetRun);
