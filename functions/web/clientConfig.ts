import { clientConfig as describeClient } from '../../services/web/clientConfig.js';
import { getConfig } from '../../shared/config.js';
import { registerPublicHttpFunction } from '../../shared/functions/httpFunction.js';

/** `GET /api/client-config`: how the page and the CLI sign in (public values, no secret). */
registerPublicHttpFunction({
  name: 'clientConfig',
  route: 'api/client-config',
  methods: ['GET'],
  handle: async () => ({
    status: 200,
    headers: { 'cache-control': 'no-cache' },
    jsonBody: describeClient(getConfig()),
  }),
});
