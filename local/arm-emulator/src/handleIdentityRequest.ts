import { randomUUID } from 'node:crypto';
import type { TokenClaims } from './accessTokens.js';
import type { EmulatorCore } from './EmulatorCore.js';
import { SYSTEM_IDENTITY, TENANT_ID } from './EmulatorOptions.js';
import { issuerV1 } from './entra/tokenClaims.js';
import { findUserAssignedIdentity } from './routes/userAssignedIdentities.js';

export interface IdentityResponse {
  status: number;
  body: unknown;
}

const failure = (status: number, message: string): IdentityResponse => ({
  status,
  body: { statusCode: status, message, correlationId: randomUUID() },
});

interface Identity {
  clientId: string;
  principalId: string;
  resourceId: string;
}

/**
 * The identity a token request selects: the system identity by default; with `client_id`,
 * `principal_id`/`object_id` or `mi_res_id`, a configured user-assigned identity or one created
 * through ARM.
 */
function selectIdentity(core: EmulatorCore, query: URLSearchParams): Identity | undefined {
  const clientId = query.get('client_id');
  const principalId = query.get('principal_id') ?? query.get('object_id');
  const resourceId = query.get('mi_res_id');
  const subscriptionId = core.defaultSubscriptionId;
  if (!clientId && !principalId && !resourceId) {
    return {
      ...SYSTEM_IDENTITY,
      resourceId: `/subscriptions/${subscriptionId}/resourcegroups/sandbox-host/providers/Microsoft.Web/sites/sandbox-functions`,
    };
  }
  const configured = core.identities.find(
    (candidate) =>
      (clientId && candidate.clientId.toLowerCase() === clientId.toLowerCase()) ||
      (principalId && candidate.principalId.toLowerCase() === principalId.toLowerCase()) ||
      resourceId?.toLowerCase().endsWith(`/userassignedidentities/${candidate.name.toLowerCase()}`),
  );
  if (configured) {
    return {
      clientId: configured.clientId,
      principalId: configured.principalId,
      resourceId: `/subscriptions/${subscriptionId}/resourcegroups/sandbox-identity/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${configured.name}`,
    };
  }
  const created = findUserAssignedIdentity(core, { clientId, principalId, resourceId });
  if (!created) return undefined;
  const properties = created.properties as { clientId: string; principalId: string };
  return {
    clientId: properties.clientId,
    principalId: properties.principalId,
    resourceId: created.id,
  };
}

/**
 * App Service's managed identity endpoint (api-version 2019-08-01): `GET ?resource=…` with the
 * `X-IDENTITY-HEADER` secret; `client_id`, `principal_id`/`object_id` or `mi_res_id` select a
 * user-assigned identity. Tokens are v1 and RS256-signed by the tenant's keys, like Entra's.
 *
 * @example
 * handleIdentityRequest(core, secret, 'GET', new URL('http://x/msi/token?resource=…&api-version=2019-08-01'), headers);
 */
export function handleIdentityRequest(
  core: EmulatorCore,
  identityHeader: string,
  method: string,
  url: URL,
  headers: Record<string, string | string[] | undefined>,
): IdentityResponse {
  if (url.pathname !== '/msi/token') return failure(404, 'Not found.');
  if (method !== 'GET') return failure(405, 'Only GET is supported.');
  if (headers['x-identity-header'] !== identityHeader) {
    return failure(401, 'The X-IDENTITY-HEADER header is missing or does not match.');
  }
  const query = url.searchParams;
  if (query.get('api-version') !== '2019-08-01') {
    return failure(400, "The api-version is missing or unsupported. Supported: '2019-08-01'.");
  }
  const resource = query.get('resource');
  if (!resource) return failure(400, "The 'resource' query parameter is required.");
  const identity = selectIdentity(core, query);
  if (!identity) return failure(400, 'Unable to load the proper Managed Identity.');

  const now = Math.floor(core.clock.now() / 1000);
  const expiresOn = now + core.tokenLifetimeSeconds;
  const claims: TokenClaims = {
    aud: resource,
    iss: issuerV1(TENANT_ID),
    iat: now,
    nbf: now,
    exp: expiresOn,
    appid: identity.clientId,
    appidacr: '2',
    idp: issuerV1(TENANT_ID),
    idtyp: 'app',
    oid: identity.principalId,
    sub: identity.principalId,
    tid: TENANT_ID,
    ver: '1.0',
    xms_mirid: identity.resourceId,
  };
  return {
    status: 200,
    body: {
      access_token: core.signingKeys.sign(claims),
      // App Service answers expires_on as a string of epoch seconds.
      expires_on: String(expiresOn),
      resource,
      token_type: 'Bearer',
      client_id: identity.clientId,
    },
  };
}
