import { describe, expect, it } from 'vitest';
import { signAccessToken, type TokenClaims, verifyAuthorization } from '../../src/accessTokens.js';

const now = Date.UTC(2026, 0, 1, 12, 0, 0);
const claims = (overrides: Partial<TokenClaims> = {}): TokenClaims => ({
  aud: 'https://management.azure.com/',
  iss: 'https://sts.windows.net/t/',
  iat: now / 1000,
  nbf: now / 1000,
  exp: now / 1000 + 3600,
  oid: 'o',
  sub: 'o',
  tid: 't',
  appid: 'a',
  idtyp: 'app',
  xms_mirid: '/x',
  ver: '1.0',
  ...overrides,
});
const audiences = new Set(['https://management.azure.com']);
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'none';
};

describe('verifyAuthorization', () => {
  it('accepts a valid token for a management audience', () => {
    const token = signAccessToken(claims(), 'k');
    expect(verifyAuthorization(`Bearer ${token}`, 'k', now, audiences).oid).toBe('o');
  });

  it.each([
    ['a missing header', undefined, 'AuthenticationFailed'],
    ['a non-bearer header', 'Basic abc', 'AuthenticationFailed'],
    [
      'a token signed with another key',
      `Bearer ${signAccessToken(claims(), 'other')}`,
      'InvalidAuthenticationToken',
    ],
    [
      'an expired token',
      `Bearer ${signAccessToken(claims({ exp: now / 1000 - 1 }), 'k')}`,
      'ExpiredAuthenticationToken',
    ],
    [
      'another audience',
      `Bearer ${signAccessToken(claims({ aud: 'https://vault.azure.net' }), 'k')}`,
      'InvalidAuthenticationTokenAudience',
    ],
  ])('refuses %s', (_label, header, code) => {
    expect(codeOf(() => verifyAuthorization(header, 'k', now, audiences))).toBe(code);
  });

  it('prints expiry the way ARM does', () => {
    const token = signAccessToken(claims({ exp: Date.UTC(2018, 7, 21, 15, 22, 0) / 1000 }), 'k');
    expect(() =>
      verifyAuthorization(`Bearer ${token}`, 'k', Date.UTC(2018, 7, 21, 15, 48, 45), audiences),
    ).toThrow(
      "The access token expiry UTC time '8/21/2018 3:22:00 PM' is earlier than current UTC time '8/21/2018 3:48:45 PM'.",
    );
  });
});
