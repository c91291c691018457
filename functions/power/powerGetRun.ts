import { getPowerRun } from '../../services/power/getPowerRun.js';
import { powerPorts } from '../../services/power/PowerPorts.js';
import { APP_ROLES } from '../../shared/auth/Caller.js';
import { httpFunction, registerHttpFunction } from '../../shared/functions/httpFunction.js';

/** `GET /api/power/runs/{id}` (or `latest`): what a run stopped, started and skipped, and why. */
export const powerGetRun = httpFunction('powerGetRun', {
  route: 'api/power/runs/{id}',
  methods: ['GET'],
  roles: [APP_ROLES.admin, APP_ROLES.approver],
  purpose: 'Power runs',
  ports: powerPorts,
  async handle({ params, ports }) {
    return { status: 200, jsonBody: await getPowerRun(params.id ?? '', ports) };
  },
});

registerHttpFunction(powerGetRun);
