import { APP_ROLES } from '../../shared/auth/Caller.js';
import { httpFunction, registerHttpFunction } from '../../shared/functions/httpFunction.js';

/** `GET /api/me`: the caller as the API sees it (object id, name, app roles), for the page. */
export const getCaller = httpFunction('getCaller', {
  route: 'api/me',
  methods: ['GET'],
  roles: [APP_ROLES.user, APP_ROLES.admin, APP_ROLES.approver],
  purpose: 'This app',
  ports: () => ({}),
  async handle({ caller }) {
    return {
      status: 200,
      jsonBody: { id: caller.id, name: caller.name, kind: caller.kind, roles: caller.roles },
    };
  },
});

registerHttpFunction(getCaller);
