import packageJson from '../../package.json' with { type: 'json' };
import { apiOperations } from '../../services/openapi/apiOperations.js';
import { buildOpenApiDocument } from '../../services/openapi/buildOpenApiDocument.js';
import { blueprints } from '../../services/provisioning/blueprints/index.js';
import { describeBlueprints } from '../../services/provisioning/describeBlueprints.js';
import { getConfig } from '../../shared/config.js';
import {
  registeredHttpRoutes,
  registerPublicHttpFunction,
} from '../../shared/functions/httpFunction.js';

let document: Record<string, unknown> | undefined;

/**
 * `GET /api/openapi.json`: the API's OpenAPI 3.1 document, for anyone. Built on first request,
 * when every function is registered, then kept.
 */
registerPublicHttpFunction({
  name: 'openApiDocument',
  route: 'api/openapi.json',
  methods: ['GET'],
  handle: async () => {
    if (!document) {
      const config = getConfig();
      document = buildOpenApiDocument(registeredHttpRoutes(), apiOperations, {
        version: packageJson.version,
        authority: config.auth.authority,
        scope: config.web.scope,
        audience: config.auth.audience,
        blueprints: describeBlueprints(blueprints),
      });
    }
    return { status: 200, headers: { 'cache-control': 'no-cache' }, jsonBody: document };
  },
});
