import { ArmError } from './ArmError.js';
import type { SigningKeys } from './entra/SigningKeys.js';
import { issuerV1 } from './entra/tokenClaims.js';

/** The claims ARM reads from a v1 access token: the managed identity's, an app's or a user's. */
export interface TokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  /** The caller's object id: what role assignments name. */
  oid: string;
  sub: string;
  tid: string;
  ver: string;
  appid?: string;
  idtyp?: 'app' | 'user';
  /** Users only: their sign-in name. */
  upn?: string;
  unique_name?: string;
  name?: string;
  roles?: string[];
  scp?: string;
  xms_mirid?: string;
  [claim: string]: unknown;
}

const AUDIENCES_ERROR_LIST =
  "'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'";

function authenticationError(
  code: string,
  message: string,
  description: string,
  authorizationUri = 'https://login.microsoftonline.com/common',
): ArmError {
  return new ArmError(401, code, message, {
    'www-authenticate': `Bearer authorization_uri="${authorizationUri}", error="invalid_token", error_description="${description}"`,
  });
}

/**
 * Checks the `Authorization` header of an ARM request the way ARM does, and answers ARM's 401s:
 * an RS256 signature by one of the tenant's published keys (no `none`, no HMAC), the tenant's v1
 * issuer, a management audience, and expiry.
 *
 * @example
 * const claims = verifyAuthorization(req.headers.authorization, keys, Date.now(), audiences, tenantId);
 */
export function verifyAuthorization(
  header: string | undefined,
  keys: SigningKeys,
  nowMs: number,
  audiences: ReadonlySet<string>,
  tenantId: string,
): TokenClaims {
  if (!header) {
    return fail(
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is missing.",
    );
  }
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) {
    return fail(
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is provided in an invalid format.",
    );
  }
  const verified = keys.verify(match[1]);
  if (!verified.ok || !isClaims(verified.claims)) {
    return fail('InvalidAuthenticationToken', 'The access token is invalid.');
  }
  const claims = verified.claims;
  const expectedIssuer = issuerV1(tenantId);
  if (claims.iss !== expectedIssuer || claims.tid !== tenantId) {
    throw authenticationError(
      'InvalidAuthenticationTokenTenant',
      `The access token is from the wrong issuer '${claims.iss}'. It must match the tenant '${expectedIssuer}' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/${tenantId}' to get the token. Note, if the subscription is transferred to another tenant there is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you just transferred your subscription and see this error message, please try back later.`,
      'The access token is from the wrong issuer. It must match the tenant associated with this subscription. Please use correct authority to get the token.',
      `https://login.windows.net/${tenantId}`,
    );
  }
  if (!audiences.has(claims.aud.replace(/\/+$/, '').toLowerCase())) {
    return fail(
      'InvalidAuthenticationTokenAudience',
      `The access token has been obtained for wrong audience or resource '${claims.aud}'. It should exactly match with one of the allowed audiences ${AUDIENCES_ERROR_LIST}.`,
    );
  }
  const nowSeconds = Math.floor(nowMs / 1000);
  if (claims.exp <= nowSeconds) {
    return fail(
      'ExpiredAuthenticationToken',
      `The access token expiry UTC time '${formatUtc(claims.exp)}' is earlier than current UTC time '${formatUtc(nowSeconds)}'.`,
      'The access token is expired.',
    );
  }
  if (claims.nbf > nowSeconds + 300) {
    return fail('InvalidAuthenticationToken', 'The access token is not yet valid.');
  }
  return claims;
}

function isClaims(claims: Record<string, unknown>): claims is TokenClaims {
  return (
    typeof claims.aud === 'string' &&
    typeof claims.iss === 'string' &&
    typeof claims.oid === 'string' &&
    typeof claims.exp === 'number' &&
    typeof claims.nbf === 'number'
  );
}

function fail(code: string, message: string, description = message): never {
  throw authenticationError(code, message, description);
}

function formatUtc(seconds: number): string {
  // ARM prints .NET's invariant format, for example '8/21/2018 3:22:00 PM'.
  const d = new Date(seconds * 1000);
  const hours = d.getUTCHours();
  const twelve = hours % 12 === 0 ? 12 : hours % 12;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${twelve}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`;
}
