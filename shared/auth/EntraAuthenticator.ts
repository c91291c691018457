/**
 * The caller of a request, from a credential the app verifies itself: a bearer token that Entra
 * ID issued for this API, checked with `jose` against the tenant's OpenID configuration and keys.
 * RS256 only; issuer, audience, tenant, expiry and not-before checked with a small clock skew;
 * keys cached and refetched when a token names a `kid` the cache does not hold (key rotation).
 *
 * Where App Service Authentication is in front of the app (`APP_SERVICE_AUTH=on`), its
 * `x-ms-client-principal` header is accepted too; otherwise that header is ignored, since any
 * client can send it.
 */
import type { HttpRequest } from '@azure/functions';
import { createRemoteJWKSet, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { TransientError, UnauthorizedError } from '../apiErrors.js';
import type { AuthConfig } from '../config.js';
import { onceAsync } from '../memoizeAsync.js';
import { APP_ROLES, type Caller } from './Caller.js';
import { clientPrincipalHeader, parseClientPrincipal } from './parseClientPrincipal.js';

/** How a request proves its caller. */
export interface Authenticator {
  /**
   * The caller the request's credential proves, or `undefined` when it carries none. A credential
   * that does not verify is a 401 (`UnauthorizedError`), never "no caller".
   */
  authenticate(request: HttpRequest): Promise<Caller | undefined>;
}

/** Clock skew tolerated on `exp` and `nbf`, in seconds. */
const CLOCK_TOLERANCE_SECONDS = 60;

/** Names and ids become tag values and audit entries: the same rule as a body's `owner`. */
const PRINTABLE = /^[^\p{Cc}]{1,256}$/u;

export interface EntraAuthenticatorOptions {
  /** The signing keys; default: the tenant's JWKS, found through its OpenID configuration. */
  keys?: JWTVerifyGetKey;
  /** The v2 issuer; default: from the OpenID configuration. */
  issuer?: string;
}

export class EntraAuthenticator implements Authenticator {
  private readonly discovered: () => Promise<{ issuers: string[]; keys: JWTVerifyGetKey }>;

  constructor(
    private readonly config: AuthConfig & { adminPrincipals: readonly string[] },
    options: EntraAuthenticatorOptions = {},
  ) {
    const v1Issuer = `https://sts.windows.net/${config.tenantId}/`;
    this.discovered = onceAsync(async () => {
      if (options.keys && options.issuer) {
        return { issuers: [options.issuer, v1Issuer], keys: options.keys };
      }
      const openid = await discover(config.authority);
      return {
        issuers: [options.issuer ?? openid.issuer, v1Issuer],
        keys:
          options.keys ??
          // A token naming a key the cache lacks refetches the JWKS (a rotation), at most once a
          // second, so tokens with made-up kids cannot make the app hammer the authority.
          createRemoteJWKSet(new URL(openid.jwks_uri), {
            cooldownDuration: 1_000,
            cacheMaxAge: 10 * 60_000,
          }),
      };
    });
  }

  async authenticate(request: HttpRequest): Promise<Caller | undefined> {
    if (this.config.appServiceAuth) {
      const header = request.headers.get(clientPrincipalHeader);
      if (header !== null && header.trim() !== '') return this.fromAppService(header);
    }
    const authorization = request.headers.get('authorization');
    if (authorization === null || authorization.trim() === '') return undefined;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) {
      throw invalidToken('The Authorization header must be "Bearer <token>".');
    }
    return this.verify(match[1]!);
  }

  /**
   * The caller a bearer token proves.
   *
   * @example
   * const caller = await authenticator.verify(token); // { id: oid, name: 'ana@contoso.com', … }
   */
  async verify(token: string): Promise<Caller> {
    const { issuers, keys } = await this.discovered();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        algorithms: ['RS256'],
        issuer: issuers,
        audience: [this.config.clientId, this.config.audience],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'iss', 'aud'],
      }));
    } catch (error) {
      throw tokenFailure(error);
    }
    if (typeof payload.tid === 'string' && payload.tid.toLowerCase() !== this.config.tenantId) {
      throw invalidToken('The token was issued for another tenant.');
    }
    return this.callerOf(payload);
  }

  private callerOf(claims: JWTPayload): Caller {
    const text = (name: string) => {
      const value = claims[name];
      return typeof value === 'string' && value !== '' ? value : undefined;
    };
    const id = text('oid');
    if (!id || !PRINTABLE.test(id))
      throw invalidToken('The token carries no valid object id (oid).');
    const application =
      text('idtyp') === 'app' || (!text('scp') && !text('upn') && !text('preferred_username'));
    const name = application
      ? (text('app_displayname') ?? text('azp') ?? text('appid') ?? id)
      : (text('preferred_username') ?? text('upn') ?? text('unique_name') ?? id);
    if (!PRINTABLE.test(name)) {
      throw invalidToken('The token names its principal with characters the API does not accept.');
    }
    const roles = Array.isArray(claims.roles)
      ? claims.roles.filter((r): r is string => typeof r === 'string')
      : [];
    const appId = application ? (text('azp') ?? text('appid')) : undefined;
    return this.withListedAdmin({
      id,
      name,
      roles,
      kind: application ? 'application' : 'user',
      ...(appId && PRINTABLE.test(appId) ? { appId } : {}),
      via: 'token',
    });
  }

  private fromAppService(header: string): Caller {
    const { principal, reason } = parseClientPrincipal(header);
    if (!principal) {
      throw new UnauthorizedError(`Unreadable ${clientPrincipalHeader}: ${reason}.`, {
        code: 'InvalidClientPrincipal',
      });
    }
    if (!PRINTABLE.test(principal.id) || !PRINTABLE.test(principal.name)) {
      throw new UnauthorizedError(
        `${clientPrincipalHeader} names its principal with characters the API does not accept.`,
        { code: 'InvalidClientPrincipal' },
      );
    }
    return this.withListedAdmin({
      id: principal.id,
      name: principal.name,
      roles: principal.roles,
      kind: 'user',
      via: 'app-service',
    });
  }

  /** `ADMIN_PRINCIPALS` makes the principals it lists (by id, name or `role:`) admins too. */
  private withListedAdmin(caller: Caller): Caller {
    const listed = new Set(this.config.adminPrincipals.map((a) => a.toLowerCase()));
    const admin =
      listed.has(caller.id.toLowerCase()) ||
      listed.has(caller.name.toLowerCase()) ||
      caller.roles.some((r) => listed.has(`role:${r.toLowerCase()}`));
    return admin && !caller.roles.includes(APP_ROLES.admin)
      ? { ...caller, roles: [...caller.roles, APP_ROLES.admin] }
      : caller;
  }
}

/** The tenant's OpenID configuration: where its keys are, and what it puts in `iss`. */
async function discover(authority: string): Promise<{ issuer: string; jwks_uri: string }> {
  const url = `${authority.replace(/\/+$/, '')}/v2.0/.well-known/openid-configuration`;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch (cause) {
    throw new TransientError('The identity provider cannot be reached to verify tokens.', {
      code: 'IdentityProviderUnavailable',
      cause,
    });
  }
  const body = (await response.json().catch(() => undefined)) as
    | { issuer?: unknown; jwks_uri?: unknown }
    | undefined;
  if (!response.ok || typeof body?.issuer !== 'string' || typeof body.jwks_uri !== 'string') {
    throw new TransientError(
      `The identity provider's OpenID configuration is unusable (HTTP ${response.status}).`,
      { code: 'IdentityProviderUnavailable' },
    );
  }
  return { issuer: body.issuer, jwks_uri: body.jwks_uri };
}

function invalidToken(message: string, cause?: unknown): UnauthorizedError {
  return new UnauthorizedError(message, { code: 'InvalidToken', cause });
}

/** What a failed verification tells the caller: why, never the token. */
function tokenFailure(error: unknown): Error {
  if (error instanceof errors.JWTExpired) return invalidToken('The token has expired.', error);
  if (error instanceof errors.JWTClaimValidationFailed) {
    const reasons: Record<string, string> = {
      aud: 'The token was not issued for this API (audience).',
      iss: 'The token was not issued by the expected authority (issuer).',
      nbf: 'The token is not valid yet.',
    };
    return invalidToken(
      reasons[error.claim] ?? `The token's ${error.claim} claim is invalid.`,
      error,
    );
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return invalidToken('The token is not signed with RS256.', error);
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return invalidToken('The token is signed with a key the authority does not publish.', error);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return invalidToken('The token signature does not verify.', error);
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JOSENotSupported) {
    return error instanceof errors.JWKSTimeout
      ? new TransientError('The identity provider did not answer in time.', {
          code: 'IdentityProviderUnavailable',
          cause: error,
        })
      : invalidToken('The token uses an algorithm or key type the API does not accept.', error);
  }
  if (error instanceof errors.JOSEError) return invalidToken('The token is malformed.', error);
  if (error instanceof TypeError || (error as { code?: unknown })?.code === 'ECONNREFUSED') {
    return new TransientError('The identity provider cannot be reached to verify tokens.', {
      code: 'IdentityProviderUnavailable',
      cause: error,
    });
  }
  return invalidToken('The token is malformed.', error);
}
