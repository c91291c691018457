/**
 * Access tokens for the fast tests: RS256, signed with a key made once per test process, in the
 * shape Entra ID issues v2 tokens for the API. `testAuthenticator` is the real
 * `EntraAuthenticator`, given these keys instead of a tenant's JWKS, so the fast tests go through
 * the same verification as the deployed app.
 */
import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { APP_ROLES, type Caller } from '../../../shared/auth/Caller.js';
import { EntraAuthenticator } from '../../../shared/auth/EntraAuthenticator.js';
import type { AuthConfig } from '../../../shared/config.js';

export const TEST_TENANT = '11111111-2222-4333-8444-555555555555';
export const TEST_API_CLIENT_ID = '66666666-7777-4888-8999-000000000000';
export const TEST_AUTHORITY = `https://login.test/${TEST_TENANT}`;
export const TEST_ISSUER = `${TEST_AUTHORITY}/v2.0`;
export const TEST_KID = 'test-key-1';

/** The app settings that point the app at the test tenant. */
export const testAuthSettings: Record<string, string> = {
  ENTRA_TENANT_ID: TEST_TENANT,
  ENTRA_API_CLIENT_ID: TEST_API_CLIENT_ID,
  ENTRA_AUTHORITY: TEST_AUTHORITY,
};

const keys = (async () => {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: TEST_KID, alg: 'RS256', use: 'sig' };
  return { privateKey, publicKey, jwks: { keys: [jwk] } };
})();

/** The test tenant's public key as PEM, for forging tokens that misuse it. */
export async function testPublicKeyPem(): Promise<string> {
  const { exportSPKI } = await import('jose');
  return exportSPKI((await keys).publicKey);
}

/** The test tenant's published keys, as a JWKS document. */
export async function testJwks(): Promise<{ keys: JWK[] }> {
  return (await keys).jwks;
}

/**
 * A signed token for `caller`, with `overrides` merged into its claims (set one to `undefined`
 * to leave it out).
 *
 * @example
 * const token = await testToken(callerFactory({ roles: ['Sandbox.Admin'] }));
 */
export async function testToken(
  caller: Pick<Caller, 'id' | 'name' | 'roles'> & { kind?: Caller['kind'] },
  overrides: Record<string, unknown> = {},
  options: { kid?: string; expiresInSeconds?: number } = {},
): Promise<string> {
  const { privateKey } = await keys;
  const now = Math.floor(Date.now() / 1000);
  const person =
    caller.kind === 'application'
      ? { idtyp: 'app', azp: caller.name }
      : { preferred_username: caller.name, name: caller.name, scp: 'access_as_user' };
  const claims: Record<string, unknown> = {
    aud: TEST_API_CLIENT_ID,
    iss: TEST_ISSUER,
    iat: now,
    nbf: now,
    exp: now + (options.expiresInSeconds ?? 3600),
    tid: TEST_TENANT,
    oid: caller.id,
    sub: caller.id,
    ver: '2.0',
    uti: randomUUID(),
    ...(caller.roles.length > 0 ? { roles: [...caller.roles] } : {}),
    ...person,
    ...overrides,
  };
  for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: options.kid ?? TEST_KID })
    .sign(privateKey);
}

/** The `Authorization` header for `caller`. */
export async function bearer(
  caller: Pick<Caller, 'id' | 'name' | 'roles'> & { kind?: Caller['kind'] },
): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await testToken(caller)}` };
}

/** The real authenticator over the test tenant's keys. */
export async function testAuthenticator(
  config: Partial<AuthConfig> & { adminPrincipals?: readonly string[] } = {},
): Promise<EntraAuthenticator> {
  return new EntraAuthenticator(
    {
      authority: TEST_AUTHORITY,
      tenantId: TEST_TENANT,
      clientId: TEST_API_CLIENT_ID,
      audience: `api://${TEST_API_CLIENT_ID}`,
      appServiceAuth: false,
      rateLimitBurst: 30,
      rateLimitPerMinute: 60,
      adminPrincipals: [],
      ...config,
    },
    { keys: createLocalJWKSet(await testJwks()), issuer: TEST_ISSUER },
  );
}

/** Callers the tests use, by role. */
export const testCallers = {
  ana: { id: 'oid-ana', name: 'ana@contoso.com', roles: [APP_ROLES.user], kind: 'user' },
  bob: { id: 'oid-bob', name: 'bob@contoso.com', roles: [APP_ROLES.user], kind: 'user' },
  ops: { id: 'oid-ops', name: 'ops@contoso.com', roles: [APP_ROLES.admin], kind: 'user' },
  approver: {
    id: 'oid-approver',
    name: 'approver@contoso.com',
    roles: [APP_ROLES.approver],
    kind: 'user',
  },
  nobody: { id: 'oid-nobody', name: 'nobody@contoso.com', roles: [], kind: 'user' },
} as const satisfies Record<string, Omit<Caller, 'via'>>;

/** A token for each of `testCallers`, made once per test process. */
export const testTokens = Object.fromEntries(
  await Promise.all(
    Object.entries(testCallers).map(async ([who, caller]) => [who, await testToken(caller)]),
  ),
) as Record<keyof typeof testCallers, string>;

/**
 * The `Authorization` header of one of `testCallers`.
 *
 * @example
 * post(body, signedIn('ana'));
 */
export function signedIn(who: keyof typeof testCallers): { authorization: string } {
  return { authorization: `Bearer ${testTokens[who]}` };
}
