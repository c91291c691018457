import { randomUUID } from 'node:crypto';
import { EntraError } from './EntraError.js';
import { type ClientCredentials, issueToken, type TokenService } from './issueToken.js';

export interface EntraResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

type Headers = Record<string, string | string[] | undefined>;

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** `client_secret_basic`: the client id and secret in an HTTP Basic header, form-encoded. */
function basicCredentials(header: string | undefined): ClientCredentials | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
  return {
    clientId: decode(decoded.slice(0, colon)),
    clientSecret: decode(decoded.slice(colon + 1)),
  };
}

/** The v2.0 OpenID configuration document, pointing at this authority's endpoints. */
export function openIdConfiguration(authority: string): Record<string, unknown> {
  return {
    token_endpoint: `${authority}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    jwks_uri: `${authority}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${authority}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${authority}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

/**
 * The local Entra ID over HTTP: `{tenant}/v2.0/.well-known/openid-configuration`, the JWKS at
 * `{tenant}/discovery/v2.0/keys` (and v1's `{tenant}/discovery/keys`), and the token endpoint
 * `{tenant}/oauth2/v2.0/token`. The interactive endpoints the configuration names exist on
 * Entra only: here they answer that sign-in pages are not available.
 *
 * @example
 * const answer = handleEntraRequest(service, 'GET', new URL('https://h/{tenant}/discovery/v2.0/keys'), {}, Buffer.alloc(0));
 */
export function handleEntraRequest(
  service: TokenService,
  method: string,
  url: URL,
  headers: Headers,
  body: Buffer,
): EntraResponse {
  const correlationId = one(headers['client-request-id']) ?? randomUUID();
  const json = (status: number, payload: unknown, extra: Record<string, string> = {}) => ({
    status,
    headers: {
      'cache-control': 'no-store, no-cache',
      pragma: 'no-cache',
      'client-request-id': correlationId,
      'x-ms-request-id': randomUUID(),
      ...extra,
    },
    body: payload,
  });
  const fail = (error: EntraError) =>
    json(error.status, error.toBody(correlationId, new Date(service.nowMs())));
  const segments = url.pathname.split('/').filter(Boolean);
  const [tenant, ...rest] = segments;
  const route = rest.join('/').toLowerCase();
  const { tenantId } = service.directory;
  const known = tenant?.toLowerCase() === tenantId;
  const discovery = {
    'cache-control': 'max-age=86400, private',
    'access-control-allow-origin': '*',
  };

  if (route === 'discovery/v2.0/keys' || route === 'discovery/keys') {
    if (known || tenant?.toLowerCase() === 'common') {
      return json(200, service.keys.jwks(), discovery);
    }
  }
  if (!known) {
    if (!tenant) return json(404, { error: 'not_found', error_description: 'Not found.' });
    return fail(
      new EntraError(
        400,
        route.includes('well-known') ? 'invalid_tenant' : 'invalid_request',
        90002,
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
      ),
    );
  }
  switch (route) {
    case 'v2.0/.well-known/openid-configuration':
      return json(200, openIdConfiguration(service.authority), discovery);
    case 'oauth2/v2.0/token': {
      if (method !== 'POST') {
        return fail(
          EntraError.invalidRequest(
            900561,
            `The endpoint only accepts POST requests. Received a ${method} request.`,
          ),
        );
      }
      const form = new URLSearchParams(body.toString('utf8'));
      const basic = basicCredentials(one(headers.authorization));
      try {
        return json(
          200,
          issueToken(service, form, {
            clientId: form.get('client_id') ?? basic?.clientId,
            clientSecret: form.get('client_secret') ?? basic?.clientSecret,
          }),
        );
      } catch (error) {
        if (error instanceof EntraError) return fail(error);
        throw error;
      }
    }
    case 'oauth2/v2.0/authorize':
    case 'oauth2/v2.0/devicecode':
    case 'oauth2/v2.0/logout':
      return json(400, {
        error: 'unsupported_response_type',
        error_description:
          'The local Entra ID has no sign-in pages: it issues tokens through its token endpoint only (client credentials, password and refresh token grants).',
      });
    default:
      return json(404, {
        error: 'not_found',
        error_description: `No endpoint at '${url.pathname}'.`,
      });
  }
}
