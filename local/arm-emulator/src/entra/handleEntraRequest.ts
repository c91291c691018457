import { randomUUID } from 'node:crypto';
import { type AuthorizeAnswer, authorize, submitSignIn } from './authorize.js';
import { DEVICE_CODE_LIFETIME_SECONDS, DEVICE_POLL_INTERVAL_SECONDS } from './DeviceCodes.js';
import { EntraError } from './EntraError.js';
import {
  type ClientCredentials,
  equalSecrets,
  issueToken,
  parseScopes,
  type TokenService,
} from './issueToken.js';
import { matchRedirectUri } from './redirectUris.js';
import {
  renderDeviceCodePage,
  renderDeviceSignedInPage,
  renderErrorPage,
  renderSignedOutPage,
  renderSignInPage,
} from './signInPages.js';

/** An answer: JSON in `body`, or a page in `html`, or a redirect in `headers.location`. */
export interface EntraResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
  html?: string;
}

/**
 * The token endpoint answers browsers' cross-origin requests (single-page applications redeem
 * codes and refresh tokens with `fetch`), preflights included.
 */
const TOKEN_CORS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-max-age': '86400',
};

/** Pages of the sign-in flow: no caching, no framing, no scripts. */
function pageHeaders(formTarget?: string): Record<string, string> {
  const formAction = formTarget ? `'self' ${formTarget}` : "'self'";
  return {
    'cache-control': 'no-store, no-cache',
    pragma: 'no-cache',
    'x-frame-options': 'DENY',
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
  };
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
 * `{tenant}/discovery/v2.0/keys` (and v1's `{tenant}/discovery/keys`), the token endpoint
 * `{tenant}/oauth2/v2.0/token` (with CORS for browsers), the authorization endpoint
 * `{tenant}/oauth2/v2.0/authorize` with its sign-in form (posted to `{tenant}/login`), and
 * `{tenant}/oauth2/v2.0/logout`, and the device code flow: `{tenant}/oauth2/v2.0/devicecode`
 * starts it, a person enters the code at `{tenant}/devicelogin` and signs in, and the device's
 * polls of the token endpoint then get its tokens.
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
  const fail = (error: EntraError, extra: Record<string, string> = {}) =>
    json(error.status, error.toBody(correlationId, new Date(service.nowMs())), extra);
  const interactive = (answer: AuthorizeAnswer): EntraResponse => {
    switch (answer.kind) {
      case 'redirect':
        return { status: 302, headers: { ...pageHeaders(), location: answer.location } };
      case 'error-page':
        return {
          status: 400,
          headers: pageHeaders(),
          html: renderErrorPage(answer.error, correlationId),
        };
      case 'sign-in':
        return {
          status: answer.problem ? 400 : 200,
          headers: pageHeaders(new URL(answer.request.redirectUri).origin),
          html: renderSignInPage({
            action: `/${service.directory.tenantId}/login`,
            context: answer.context,
            appName: service.directory.api.displayName,
            tenantId: service.directory.tenantId,
            users: service.directory.users.map((user) => user.username),
            ...(answer.username ? { username: answer.username } : {}),
            ...(answer.problem ? { problem: answer.problem } : {}),
          }),
        };
    }
  };
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
      if (method === 'OPTIONS') {
        const asked = one(headers['access-control-request-headers']);
        return {
          status: 204,
          headers: {
            ...TOKEN_CORS,
            ...(asked ? { 'access-control-allow-headers': asked } : {}),
          },
        };
      }
      if (method !== 'POST') {
        return fail(
          EntraError.invalidRequest(
            900561,
            `The endpoint only accepts POST requests. Received a ${method} request.`,
          ),
          TOKEN_CORS,
        );
      }
      const form = new URLSearchParams(body.toString('utf8'));
      const basic = basicCredentials(one(headers.authorization));
      const origin = one(headers.origin);
      try {
        return json(
          200,
          issueToken(
            service,
            form,
            {
              clientId: form.get('client_id') ?? basic?.clientId,
              clientSecret: form.get('client_secret') ?? basic?.clientSecret,
            },
            origin ? { origin } : {},
          ),
          TOKEN_CORS,
        );
      } catch (error) {
        if (error instanceof EntraError) return fail(error, TOKEN_CORS);
        throw error;
      }
    }
    case 'oauth2/v2.0/authorize':
      if (method !== 'GET' && method !== 'POST') break;
      return interactive(
        authorize(
          service,
          method === 'POST' ? new URLSearchParams(body.toString('utf8')) : url.searchParams,
        ),
      );
    case 'login':
      if (method !== 'POST') break;
      return interactive(submitSignIn(service, new URLSearchParams(body.toString('utf8'))));
    case 'oauth2/v2.0/logout': {
      // Entra sends the browser back only to a redirect URI the application registered.
      const back = url.searchParams.get('post_logout_redirect_uri');
      if (back && matchRedirectUri(service.directory.api.spaRedirectUris, back)) {
        return { status: 302, headers: { ...pageHeaders(), location: back } };
      }
      return { status: 200, headers: pageHeaders(), html: renderSignedOutPage() };
    }
    case 'oauth2/v2.0/devicecode': {
      if (method !== 'POST') break;
      const form = new URLSearchParams(body.toString('utf8'));
      const clientId = form.get('client_id');
      try {
        if (!clientId) throw EntraError.missing('client_id');
        // The device code flow is a public client's: here, the API's own registration.
        if (clientId.toLowerCase() !== service.directory.api.clientId) {
          throw new EntraError(
            400,
            'unauthorized_client',
            700016,
            `Application with identifier '${clientId}' was not found in the directory '${tenantId}'.`,
          );
        }
        const scope = form.get('scope');
        parseScopes(service, scope);
        const { deviceCode, userCode } = service.deviceCodes.start(
          { clientId: clientId.toLowerCase(), scope: scope! },
          service.nowMs(),
        );
        const verificationUri = `${service.authority}/devicelogin`;
        return json(200, {
          user_code: userCode,
          device_code: deviceCode,
          verification_uri: verificationUri,
          expires_in: DEVICE_CODE_LIFETIME_SECONDS,
          interval: DEVICE_POLL_INTERVAL_SECONDS,
          message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${userCode} to authenticate.`,
        });
      } catch (error) {
        if (error instanceof EntraError) return fail(error);
        throw error;
      }
    }
    case 'devicelogin': {
      const action = `/${tenantId}/devicelogin`;
      if (method === 'GET') {
        return {
          status: 200,
          headers: pageHeaders(),
          html: renderDeviceCodePage({ action, tenantId }),
        };
      }
      if (method !== 'POST') break;
      const userCode = new URLSearchParams(body.toString('utf8')).get('otc') ?? '';
      if (!service.deviceCodes.pending(userCode, service.nowMs())) {
        return {
          status: 400,
          headers: pageHeaders(),
          html: renderDeviceCodePage({
            action,
            tenantId,
            problem: "That code didn't work. Check the code and try again.",
          }),
        };
      }
      return deviceSignIn(service, userCode);
    }
    case 'devicelogin/signin': {
      if (method !== 'POST') break;
      const form = new URLSearchParams(body.toString('utf8'));
      const userCode = form.get('ctx') ?? '';
      const username = (form.get('login') ?? '').trim();
      const password = form.get('passwd') ?? '';
      if (!service.deviceCodes.pending(userCode, service.nowMs())) {
        return {
          status: 400,
          headers: pageHeaders(),
          html: renderDeviceCodePage({
            action: `/${tenantId}/devicelogin`,
            tenantId,
            problem: 'The code has expired or was used. Start again on your device.',
          }),
        };
      }
      const user = service.directory.user(username);
      if (!user || !password || !equalSecrets(password, user.password)) {
        return deviceSignIn(service, userCode, username, 'Your account or password is incorrect.');
      }
      service.deviceCodes.approve(userCode, user.objectId, service.nowMs());
      return {
        status: 200,
        headers: pageHeaders(),
        html: renderDeviceSignedInPage(service.directory.api.displayName),
      };
    }
    default:
      break;
  }
  return json(404, {
    error: 'not_found',
    error_description: `No endpoint at '${url.pathname}'.`,
  });
}

/** The sign-in form for a device's user code. */
function deviceSignIn(
  service: TokenService,
  userCode: string,
  username?: string,
  problem?: string,
): EntraResponse {
  return {
    status: problem ? 400 : 200,
    headers: pageHeaders(),
    html: renderSignInPage({
      action: `/${service.directory.tenantId}/devicelogin/signin`,
      context: userCode,
      appName: service.directory.api.displayName,
      tenantId: service.directory.tenantId,
      users: service.directory.users.map((user) => user.username),
      ...(username ? { username } : {}),
      ...(problem ? { problem } : {}),
    }),
  };
}
