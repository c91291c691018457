import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type TokenClaims, verifyAuthorization } from '../../src/accessTokens.js';
import { createSigningKey, SigningKeys } from '../../src/entra/SigningKeys.js';

const tenant = '00000000-0000-4000-8000-0000000e0001';
const now = Date.UTC(2026, 0, 1, 12, 0, 0);
const claims = (overrides: Partial<TokenClaims> = {}): TokenClaims => ({
  aud: 'https://management.azure.com/',
  iss: `https://sts.windows.net/${tenant}/`,
  iat: now / 1000,
  nbf: now / 1000,
  exp: now / 1000 + 3600,
  oid: 'o',
  sub: 'o',
  tid: tenant,
  appid: 'a',
  idtyp: 'app',
  ver: '1.0',
  ...overrides,
});
const keys = new SigningKeys([createSigningKey()]);
const strangers = new SigningKeys([createSigningKey()]);
const audiences = new Set(['https://management.azure.com']);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const verify = (header: string | undefined, at = now) =>
  verifyAuthorization(header, keys, at, audiences, tenant);
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'none';
};

/** The same claims under a header of the caller's choosing, signed (or not) as given. */
function forged(alg: string, sign: (unsigned: string) => string): string {
  const unsigned = `${b64({ typ: 'JWT', alg, kid: keys.activeKid })}.${b64(claims())}`;
  return `${unsigned}.${sign(unsigned)}`;
}

describe('verifyAuthorization', () => {
  it('accepts an RS256 token signed by a published key, for a management audience', () => {
    expect(verify(`Bearer ${keys.sign(claims())}`).oid).toBe('o');
  });

  it.each([
    ['a missing header', undefined, 'AuthenticationFailed'],
    ['a non-bearer header', 'Basic abc', 'AuthenticationFailed'],
    ['a malformed token', 'Bearer abc.def.ghi', 'InvalidAuthenticationToken'],
    [
      'a token signed by a key the tenant does not publish',
      `Bearer ${strangers.sign(claims())}`,
      'InvalidAuthenticationToken',
    ],
    ['alg none', `Bearer ${forged('none', () => '')}x`, 'InvalidAuthenticationToken'],
    [
      'HS256 with the public key as the secret',
      `Bearer ${forged('HS256', (u) =>
        createHmac('sha256', JSON.stringify(keys.jwks().keys[0])).update(u).digest('base64url'),
      )}`,
      'InvalidAuthenticationToken',
    ],
    [
      'a tampered payload',
      `Bearer ${keys.sign(claims()).replace(/^([^.]+)\.[^.]+/, `$1.${b64(claims({ oid: 'admin' }))}`)}`,
      'InvalidAuthenticationToken',
    ],
    [
      'an expired token',
      `Bearer ${keys.sign(claims({ exp: now / 1000 - 1 }))}`,
      'ExpiredAuthenticationToken',
    ],
    [
      'another audience',
      `Bearer ${keys.sign(claims({ aud: 'https://vault.azure.net' }))}`,
      'InvalidAuthenticationTokenAudience',
    ],
    [
      'the v2 issuer of an API token',
      `Bearer ${keys.sign(claims({ iss: `https://login.microsoftonline.com/${tenant}/v2.0` }))}`,
      'InvalidAuthenticationTokenTenant',
    ],
  ])('refuses %s', (_label, header, code) => {
    expect(codeOf(() => verify(header))).toBe(code);
  });

  it('names both issuers when the token comes from another tenant, as ARM does', () => {
    const other = 'https://sts.windows.net/11111111-1111-1111-1111-111111111111/';
    expect(() => verify(`Bearer ${keys.sign(claims({ iss: other }))}`)).toThrow(
      `The access token is from the wrong issuer '${other}'. It must match the tenant 'https://sts.windows.net/${tenant}/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/${tenant}' to get the token. Note, if the subscription is transferred to another tenant there is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you just transferred your subscription and see this error message, please try back later.`,
    );
  });

  it('prints expiry the way ARM does', () => {
    const token = keys.sign(claims({ exp: Date.UTC(2018, 7, 21, 15, 22, 0) / 1000 }));
    expect(() => verify(`Bearer ${token}`, Date.UTC(2018, 7, 21, 15, 48, 45))).toThrow(
      "The access token expiry UTC time '8/21/2018 3:22:00 PM' is earlier than current UTC time '8/21/2018 3:48:45 PM'.",
    );
  });
});
