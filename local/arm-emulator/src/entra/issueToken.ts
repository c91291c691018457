import { createHmac, timingSafeEqual } from 'node:crypto';
import { type AuthorizationCodes, verifiesChallenge } from './AuthorizationCodes.js';
import type { DeviceCodes } from './DeviceCodes.js';
import type { EntraDirectory, EntraUser } from './EntraDirectory.js';
import { EntraError } from './EntraError.js';
import type { SigningKeys } from './SigningKeys.js';
import {
  accessTokenClaims,
  idTokenClaims,
  type TokenResource,
  type TokenSubject,
} from './tokenClaims.js';

/** What the token endpoint works with. */
export interface TokenService {
  directory: EntraDirectory;
  keys: SigningKeys;
  /** The emulator's clock, in milliseconds. */
  nowMs(): number;
  /** `https://host:port/{tenantId}` */
  authority: string;
  /** ARM's identifiers, lower case without a trailing slash: its public names and the emulator's endpoint. */
  armAudiences: ReadonlySet<string>;
  /** Signs refresh tokens and sign-in forms; stable while the tenant's key file is. */
  refreshSecret: Buffer;
  /** The authorization codes the authorization endpoint has issued. */
  codes: AuthorizationCodes;
  /** The device codes of the device code flow. */
  deviceCodes: DeviceCodes;
}

/** The device code flow's grant type (RFC 8628). */
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** What the token endpoint knows about the request besides its form. */
export interface TokenRequestContext {
  /** The browser's `Origin` header: present on a single-page application's cross-origin request. */
  origin?: string;
}

export interface ClientCredentials {
  clientId: string | undefined;
  clientSecret: string | undefined;
}

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);
const REFRESH_LIFETIME_SECONDS = 90 * 24 * 3600;
/** Refresh tokens issued to single-page applications last 24 hours and are not extended. */
const SPA_REFRESH_LIFETIME_SECONDS = 24 * 3600;
const STORAGE = 'https://storage.azure.com';

export const equalSecrets = (given: string, expected: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** The resource a scope's prefix names, or Entra's AADSTS500011. */
function resourceOf(service: TokenService, identifier: string): TokenResource {
  const key = identifier.toLowerCase().replace(/\/+$/, '');
  const { api } = service.directory;
  if (key === api.identifierUri.toLowerCase() || key === api.clientId) {
    return { kind: 'api', identifier, api };
  }
  if (service.armAudiences.has(key)) return { kind: 'arm', identifier };
  if (key === STORAGE) return { kind: 'storage', identifier };
  throw EntraError.invalidRequest(
    500011,
    `The resource principal named ${identifier} was not found in the tenant named ${service.directory.tenantId}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
  );
}

interface RequestedScopes {
  resource: TokenResource;
  /** The permissions asked for after the resource prefix (`.default`, `access_as_user`). */
  permissions: string[];
  oidc: Set<string>;
}

/**
 * The resource and permissions a `scope` parameter asks for, or Entra's error.
 *
 * @example
 * parseScopes(service, 'api://…/access_as_user openid offline_access').permissions; // ['access_as_user']
 */
export function parseScopes(service: TokenService, scope: string | null): RequestedScopes {
  if (!scope?.trim()) {
    throw EntraError.invalidScope(
      70011,
      "The provided request must include a 'scope' input parameter.",
    );
  }
  const all = scope.trim().split(/\s+/);
  const oidc = new Set(
    all.filter((s) => OIDC_SCOPES.has(s.toLowerCase())).map((s) => s.toLowerCase()),
  );
  const rest = all.filter((s) => !OIDC_SCOPES.has(s.toLowerCase()));
  if (rest.length === 0) {
    throw EntraError.invalidScope(
      70011,
      `The provided value for the input parameter 'scope' is not valid. The scope ${scope} does not name a resource.`,
    );
  }
  const split = rest.map((s) => {
    const slash = s.lastIndexOf('/');
    // A bare permission (`User.Read`) belongs to Microsoft Graph.
    return slash <= 0
      ? { resource: 'https://graph.microsoft.com', permission: s }
      : { resource: s.slice(0, slash), permission: s.slice(slash + 1) };
  });
  const resources = new Set(split.map((s) => s.resource.toLowerCase().replace(/\/+$/, '')));
  if (resources.size > 1) {
    throw EntraError.invalidScope(
      28000,
      `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`,
    );
  }
  return {
    resource: resourceOf(service, (split[0] as { resource: string }).resource),
    permissions: split.map((s) => s.permission),
    oidc,
  };
}

/** The delegated permissions a user token carries, checked against what the resource exposes. */
function grantedScopes(requested: RequestedScopes, clientId: string): string[] {
  const exposed =
    requested.resource.kind === 'api' ? requested.resource.api.scopes : ['user_impersonation'];
  const asked = requested.permissions.filter((permission) => permission !== '.default');
  for (const permission of asked) {
    if (!exposed.includes(permission)) {
      throw new EntraError(
        400,
        'invalid_client',
        650053,
        `The application '${clientId}' asked for scope '${permission}' that doesn't exist on the resource '${requested.resource.identifier}'. Contact the app vendor.`,
      );
    }
  }
  return requested.permissions.includes('.default') ? exposed : asked;
}

/**
 * Authenticates the client: a service principal by its secret, or the API's own registration as
 * a public client (no secret). Returns whether a secret proved it.
 */
function authenticateClient(
  service: TokenService,
  credentials: ClientCredentials,
  publicAllowed: boolean,
): boolean {
  const { clientId, clientSecret } = credentials;
  if (!clientId) throw EntraError.missing('client_id');
  const { directory } = service;
  const principal = directory.servicePrincipal(clientId);
  if (principal) {
    if (!clientSecret) {
      throw EntraError.invalidClient(
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      );
    }
    if (!equalSecrets(clientSecret, principal.clientSecret)) {
      throw EntraError.invalidClient(
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${principal.clientId}'.`,
      );
    }
    return true;
  }
  if (clientId.toLowerCase() === directory.api.clientId) {
    if (clientSecret) {
      throw EntraError.invalidClient(
        700025,
        "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
      );
    }
    if (!publicAllowed) {
      throw EntraError.invalidClient(
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      );
    }
    return false;
  }
  throw new EntraError(
    400,
    'unauthorized_client',
    700016,
    `Application with identifier '${clientId}' was not found in the directory '${directory.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  );
}

function signRefreshToken(
  service: TokenService,
  user: EntraUser,
  clientId: string,
  nowSeconds: number,
  spa: boolean,
) {
  const payload = Buffer.from(
    JSON.stringify({
      v: 1,
      u: user.objectId,
      c: clientId.toLowerCase(),
      exp: nowSeconds + (spa ? SPA_REFRESH_LIFETIME_SECONDS : REFRESH_LIFETIME_SECONDS),
      ...(spa ? { s: 1 } : {}),
    }),
  ).toString('base64url');
  const mac = createHmac('sha256', service.refreshSecret).update(payload).digest('base64url');
  return `${payload}.${mac}`;
}

function userOfRefreshToken(
  service: TokenService,
  token: string,
  clientId: string,
  nowSeconds: number,
): { user: EntraUser; spa: boolean } {
  const [payload, mac] = token.split('.');
  const expected = payload
    ? createHmac('sha256', service.refreshSecret).update(payload).digest('base64url')
    : '';
  if (!payload || !mac || !equalSecrets(mac, expected)) {
    throw EntraError.invalidGrant(9002313, 'Invalid request. Request is malformed or invalid.');
  }
  const { u, c, exp, s } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
    u: string;
    c: string;
    exp: number;
    s?: 1;
  };
  if (exp <= nowSeconds) {
    throw EntraError.invalidGrant(700082, 'The refresh token has expired due to inactivity.');
  }
  if (c !== clientId.toLowerCase()) {
    throw EntraError.invalidGrant(70000, 'Provided grant is invalid or malformed.');
  }
  const user = service.directory.users.find((candidate) => candidate.objectId === u);
  if (!user) {
    throw EntraError.invalidGrant(
      50034,
      `The user account {EUII Hidden} does not exist in the ${service.directory.tenantId} directory. To sign into this application, the account must be added to the directory.`,
    );
  }
  return { user, spa: s === 1 };
}

/**
 * Entra's rule for single-page applications: what was issued to one (a code sent to an SPA
 * redirect URI, or its refresh token) is redeemed only by a cross-origin request from the
 * browser, and nothing else is.
 */
function checkRedemptionOrigin(spa: boolean, context: TokenRequestContext): void {
  if (spa && !context.origin) {
    throw EntraError.invalidRequest(
      9002327,
      "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.",
    );
  }
  if (!spa && context.origin) {
    throw EntraError.invalidRequest(
      9002326,
      `Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type. Request origin: '${context.origin}'.`,
    );
  }
}

/** The grant behind an authorization code, checked as Entra checks a code redemption. */
function redeemCode(
  service: TokenService,
  form: URLSearchParams,
  clientId: string,
  context: TokenRequestContext,
) {
  const code = form.get('code');
  if (!code) throw EntraError.missing('code');
  const grant = service.codes.redeem(code, service.nowMs());
  const { request } = grant;
  if (request.clientId !== clientId.toLowerCase()) {
    throw EntraError.invalidGrant(70000, 'Provided grant is invalid or malformed.');
  }
  const redirectUri = form.get('redirect_uri');
  if (redirectUri !== request.redirectUri) {
    throw EntraError.invalidGrant(
      500112,
      `The reply address '${redirectUri ?? ''}' does not match the reply address '${request.redirectUri}' provided when requesting Authorization code.`,
    );
  }
  checkRedemptionOrigin(request.spa, context);
  if (request.spa && !request.codeChallenge) {
    throw EntraError.invalidRequest(
      9002325,
      'Proof Key for Code Exchange is required for cross-origin authorization code redemption.',
    );
  }
  const verifier = form.get('code_verifier');
  if (request.codeChallenge && (!verifier || !verifiesChallenge(request, verifier))) {
    throw EntraError.invalidGrant(
      501481,
      'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
    );
  }
  const user = service.directory.users.find(
    (candidate) => candidate.objectId === grant.userObjectId,
  );
  if (!user) {
    throw EntraError.invalidGrant(
      50034,
      `The user account {EUII Hidden} does not exist in the ${service.directory.tenantId} directory. To sign into this application, the account must be added to the directory.`,
    );
  }
  return { user, request };
}

/**
 * The token endpoint's grants: `client_credentials` for service principals (secret), `password`
 * for the directory's users through the API's public client registration (or a confidential
 * client), `authorization_code` (with PKCE) for codes from the authorization endpoint, the device
 * code grant for a device a person signed in for on the device login page, and `refresh_token`. Answers the body of a successful token response, or throws the
 * `EntraError` Entra would answer.
 *
 * @example
 * issueToken(service, new URLSearchParams('grant_type=client_credentials&client_id=…&client_secret=…&scope=api://…/.default'), credentials);
 */
export function issueToken(
  service: TokenService,
  form: URLSearchParams,
  credentials: ClientCredentials,
  context: TokenRequestContext = {},
): Record<string, unknown> {
  // MSAL sends the device code grant as `device_code`; Entra takes that spelling and RFC 8628's.
  const given = form.get('grant_type');
  const grantType = given === 'device_code' ? DEVICE_CODE_GRANT : given;
  if (!grantType) throw EntraError.missing('grant_type');
  const nowSeconds = Math.floor(service.nowMs() / 1000);
  const { directory, keys } = service;
  const issuerV2 = `${service.authority}/v2.0`;
  const lifetime = directory.tokenLifetimeSeconds;
  const accessToken = (
    subject: TokenSubject,
    resource: TokenResource,
    clientId: string,
    authenticated: boolean,
    scopes: string[],
  ) =>
    keys.sign(
      accessTokenClaims({
        tenantId: directory.tenantId,
        issuerV2,
        subject,
        resource,
        clientId: clientId.toLowerCase(),
        clientAuthenticated: authenticated,
        scopes,
        nowSeconds,
        lifetimeSeconds: lifetime,
      }),
    );
  const common = { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime };

  switch (grantType) {
    case 'client_credentials': {
      authenticateClient(service, credentials, false);
      const clientId = credentials.clientId as string;
      // Only service principals authenticate with a secret, so this is one.
      const principal = directory.servicePrincipal(clientId)!;
      const scope = form.get('scope');
      const parts = scope?.trim().split(/\s+/) ?? [];
      if (parts.length !== 1 || !parts[0]?.endsWith('/.default')) {
        if (!scope) throw EntraError.missing('scope');
        throw EntraError.invalidScope(
          1002012,
          `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
        );
      }
      const { resource } = parseScopes(service, scope);
      return {
        ...common,
        access_token: accessToken({ kind: 'app', principal }, resource, clientId, true, []),
      };
    }
    case 'password':
    case 'refresh_token':
    case DEVICE_CODE_GRANT:
    case 'authorization_code': {
      const authenticated = authenticateClient(service, credentials, true);
      const clientId = credentials.clientId as string;
      let user: EntraUser;
      let spa = false;
      let nonce: string | undefined;
      let scopeParameter = form.get('scope');
      if (grantType === 'authorization_code') {
        const redeemed = redeemCode(service, form, clientId, context);
        user = redeemed.user;
        spa = redeemed.request.spa;
        nonce = redeemed.request.nonce;
        scopeParameter ??= redeemed.request.scope;
      } else if (grantType === DEVICE_CODE_GRANT) {
        const deviceCode = form.get('device_code');
        if (!deviceCode) throw EntraError.missing('device_code');
        const grant = service.deviceCodes.redeem(deviceCode, clientId, service.nowMs());
        const found = directory.users.find((u) => u.objectId === grant.userObjectId);
        if (!found) {
          throw EntraError.invalidGrant(
            50034,
            `The user account {EUII Hidden} does not exist in the ${directory.tenantId} directory. To sign into this application, the account must be added to the directory.`,
          );
        }
        user = found;
        scopeParameter ??= grant.scope;
      } else if (grantType === 'password') {
        const username = form.get('username');
        const password = form.get('password');
        if (!username) throw EntraError.missing('username');
        if (!password) throw EntraError.missing('password');
        const found = directory.user(username);
        if (!found) {
          throw EntraError.invalidGrant(
            50034,
            `The user account {EUII Hidden} does not exist in the ${directory.tenantId} directory. To sign into this application, the account must be added to the directory.`,
          );
        }
        if (!equalSecrets(password, found.password)) {
          throw EntraError.invalidGrant(
            50126,
            'Error validating credentials due to invalid username or password.',
          );
        }
        user = found;
      } else {
        const refreshToken = form.get('refresh_token');
        if (!refreshToken) throw EntraError.missing('refresh_token');
        ({ user, spa } = userOfRefreshToken(service, refreshToken, clientId, nowSeconds));
        checkRedemptionOrigin(spa, context);
      }
      if (grantType === 'password' || grantType === DEVICE_CODE_GRANT) {
        checkRedemptionOrigin(false, context);
      }
      const requested = parseScopes(service, scopeParameter);
      const scopes = grantedScopes(requested, clientId);
      const prefix =
        requested.resource.kind === 'api'
          ? requested.resource.api.identifierUri
          : requested.resource.identifier.replace(/\/+$/, '');
      const granted = [
        ...scopes.map((permission) => `${prefix}/${permission}`),
        ...(requested.permissions.includes('.default') ? [`${prefix}/.default`] : []),
        ...requested.oidc,
      ];
      return {
        ...common,
        scope: granted.join(' '),
        access_token: accessToken(
          { kind: 'user', user },
          requested.resource,
          clientId,
          authenticated,
          scopes,
        ),
        ...(requested.oidc.has('offline_access')
          ? {
              refresh_token: signRefreshToken(service, user, clientId, nowSeconds, spa),
              ...(spa ? { refresh_token_expires_in: SPA_REFRESH_LIFETIME_SECONDS } : {}),
            }
          : {}),
        ...(requested.oidc.has('openid')
          ? {
              id_token: keys.sign({
                ...idTokenClaims(
                  directory.tenantId,
                  issuerV2,
                  user,
                  clientId.toLowerCase(),
                  nowSeconds,
                  lifetime,
                ),
                ...(nonce ? { nonce } : {}),
              }),
            }
          : {}),
        client_info: Buffer.from(
          JSON.stringify({ uid: user.objectId, utid: directory.tenantId }),
        ).toString('base64url'),
      };
    }
    default:
      throw new EntraError(
        400,
        'unsupported_grant_type',
        70003,
        `The app requested an unsupported grant type '${grantType}'.`,
      );
  }
}
