import { createHmac, timingSafeEqual } from 'node:crypto';
import { ArmError } from './ArmError.js';

export interface TokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  oid: string;
  sub: string;
  tid: string;
  appid: string;
  idtyp: 'app';
  xms_mirid: string;
  ver: '1.0';
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Signs a JWT-shaped access token (HS256 with the emulator's secret: clients never verify it,
 * the emulator does).
 *
 * @example
 * const token = signAccessToken(claims, secret);
 */
export function signAccessToken(claims: TokenClaims, secret: string): string {
  const unsigned = `${encode({ typ: 'JWT', alg: 'HS256' })}.${encode(claims)}`;
  const signature = createHmac('sha256', secret).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

const AUDIENCES_ERROR_LIST =
  "'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'";

function authenticationError(code: string, message: string, description: string): ArmError {
  return new ArmError(401, code, message, {
    'www-authenticate': `Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token", error_description="${description}"`,
  });
}

/**
 * Checks the `Authorization` header of an ARM request the way ARM does, and answers ARM's 401s.
 *
 * @example
 * const claims = verifyAuthorization(req.headers.authorization, secret, Date.now(), audiences);
 */
export function verifyAuthorization(
  header: string | undefined,
  secret: string,
  nowMs: number,
  audiences: ReadonlySet<string>,
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
  const parts = match[1].split('.');
  const [head, body, signature] = parts;
  if (parts.length !== 3 || !head || !body || !signature) {
    return fail('InvalidAuthenticationToken', 'The access token is invalid.');
  }
  const expected = createHmac('sha256', secret).update(`${head}.${body}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return fail('InvalidAuthenticationToken', 'The access token is invalid.');
  }
  let claims: TokenClaims;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenClaims;
  } catch {
    return fail('InvalidAuthenticationToken', 'The access token is invalid.');
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
