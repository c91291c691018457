import { cleanupContext } from '../../services/cleanup/CleanupPorts.js';
import {
  cleanupRunListQuerySchema,
  listCleanupRuns,
} from '../../services/cleanup/listCleanupRuns.js';
import { APP_ROLES } from '../../shared/auth/Caller.js';
import { httpFunction, registerHttpFunction } from '../../shared/functions/httpFunction.js';
import { validate } from '../../shared/validate.js';

/** `GET /api/cleanup/runs[?top=20]`: the newest runs, newest first. */
export const cleanupListRuns = httpFunction('cleanupListRuns', {
  route: 'api/cleanup/runs',
  methods: ['GET'],
  roles: [APP_ROLES.admin, APP_ROLES.approver],
  purpose: 'Cleanup runs',
  ports: cleanupContext,
  async handle({ query, ports: { ports } }) {
    const { top } = validate(cleanupRunListQuerySchema, Object.fromEntries(query));
    return { status: 200, jsonBody: { value: await listCleanupRuns(ports, top) } };
  },
});

registerHttpFunction(cleanupListRuns);
