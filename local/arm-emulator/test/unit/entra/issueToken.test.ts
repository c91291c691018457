import { describe, expect, it } from 'vitest';
import { AuthorizationCodes } from '../../../src/entra/AuthorizationCodes.js';
import { DeviceCodes } from '../../../src/entra/DeviceCodes.js';
import { EntraDirectory } from '../../../src/entra/EntraDirectory.js';
import { EntraError } from '../../../src/entra/EntraError.js';
import { issueToken, type TokenService } from '../../../src/entra/issueToken.js';
import { createSigningKey, SigningKeys } from '../../../src/entra/SigningKeys.js';

const tenant = '00000000-0000-4000-8000-0000000e0001';
const now = Date.UTC(2026, 0, 1, 12, 0, 0);
const directory = EntraDirectory.create(
  {
    users: [
      { username: 'alice@sandbox.test', password: 'alice-pw', roles: ['Sandbox.User'] },
      { username: 'erin@sandbox.test', password: 'erin-pw' },
    ],
    servicePrincipals: [{ displayName: 'ci', clientSecret: 'ci-secret', roles: ['Sandbox.Admin'] }],
  },
  tenant,
);
const service = (overrides: Partial<TokenService> = {}): TokenService => ({
  directory,
  keys: new SigningKeys([createSigningKey()]),
  nowMs: () => now,
  authority: `https://127.0.0.1:8445/${tenant}`,
  armAudiences: new Set(['https://management.azure.com', 'https://127.0.0.1:8443']),
  refreshSecret: Buffer.from('refresh'),
  codes: new AuthorizationCodes(),
  deviceCodes: new DeviceCodes(),
  ...overrides,
});
const tokens = service();
const api = directory.api;
const ci = directory.servicePrincipals[0]!;
const alice = directory.users[0]!;
const claimsOf = (token: unknown) =>
  JSON.parse(Buffer.from(String(token).split('.')[1] ?? '', 'base64url').toString('utf8'));
const form = (fields: Record<string, string>) => new URLSearchParams(fields);
const asApp = (scope: string, secret = ci.clientSecret, clientId = ci.clientId) =>
  issueToken(tokens, form({ grant_type: 'client_credentials', scope }), {
    clientId,
    clientSecret: secret,
  });
const asUser = (
  scope: string,
  username = alice.username,
  password = alice.password,
  secret?: string,
) =>
  issueToken(tokens, form({ grant_type: 'password', username, password, scope }), {
    clientId: api.clientId,
    clientSecret: secret,
  });
const errorOf = (fn: () => unknown): EntraError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof EntraError) return error;
    throw error;
  }
  throw new Error('expected an EntraError');
};

// Claims as Microsoft documents them for v1 and v2 access tokens (access-token-claims-reference).
describe('issueToken', () => {
  it('gives a service principal a v2 token for the API with its app roles', () => {
    // Act
    const answer = asApp(`${api.identifierUri}/.default`);
    // Assess
    expect(Object.keys(answer).sort()).toEqual([
      'access_token',
      'expires_in',
      'ext_expires_in',
      'token_type',
    ]);
    expect(claimsOf(answer.access_token)).toMatchObject({
      aud: api.clientId,
      iss: `https://127.0.0.1:8445/${tenant}/v2.0`,
      azp: ci.clientId,
      azpacr: '1',
      idtyp: 'app',
      oid: ci.objectId,
      sub: ci.objectId,
      roles: ['Sandbox.Admin'],
      tid: tenant,
      ver: '2.0',
      iat: now / 1000,
      exp: now / 1000 + 3600,
    });
  });

  it('gives a service principal a v1 token for ARM, from the sts.windows.net issuer', () => {
    const claims = claimsOf(asApp('https://management.azure.com/.default').access_token);
    expect(claims).toMatchObject({
      aud: 'https://management.azure.com',
      iss: `https://sts.windows.net/${tenant}/`,
      appid: ci.clientId,
      appidacr: '1',
      idp: `https://sts.windows.net/${tenant}/`,
      ver: '1.0',
    });
    expect(claims.roles).toBeUndefined();
  });

  it('signs a user in through the public client, with ID and refresh tokens', () => {
    // Act
    const answer = asUser(`${api.identifierUri}/.default openid profile offline_access`);
    // Assess
    expect(answer.scope).toBe(
      `${api.identifierUri}/access_as_user ${api.identifierUri}/.default openid profile offline_access`,
    );
    expect(claimsOf(answer.access_token)).toMatchObject({
      aud: api.clientId,
      azp: api.clientId,
      azpacr: '0',
      idtyp: 'user',
      oid: alice.objectId,
      preferred_username: 'alice@sandbox.test',
      roles: ['Sandbox.User'],
      scp: 'access_as_user',
      ver: '2.0',
    });
    expect(claimsOf(answer.id_token)).toMatchObject({
      aud: api.clientId,
      oid: alice.objectId,
      ver: '2.0',
    });
    expect(JSON.parse(Buffer.from(String(answer.client_info), 'base64url').toString())).toEqual({
      uid: alice.objectId,
      utid: tenant,
    });
  });

  it('leaves the roles claim out for a user without app roles', () => {
    const claims = claimsOf(
      asUser(`${api.identifierUri}/.default`, 'erin@sandbox.test', 'erin-pw').access_token,
    );
    expect(claims.roles).toBeUndefined();
  });

  it('issues a v1 token, audience the application ID URI, for an API left at version 1', () => {
    const v1 = EntraDirectory.create(
      {
        api: { accessTokenVersion: 1 },
        users: [],
        servicePrincipals: [{ displayName: 'ci', clientSecret: 's' }],
      },
      tenant,
    );
    const answer = issueToken(
      service({ directory: v1 }),
      form({ grant_type: 'client_credentials', scope: `${v1.api.identifierUri}/.default` }),
      {
        clientId: v1.servicePrincipals[0]?.clientId,
        clientSecret: 's',
      },
    );
    expect(claimsOf(answer.access_token)).toMatchObject({
      aud: v1.api.identifierUri,
      iss: `https://sts.windows.net/${tenant}/`,
      ver: '1.0',
    });
  });

  it('refreshes a user’s session for another resource', () => {
    // Prepare
    const first = asUser(`${api.identifierUri}/.default offline_access`);
    // Act
    const arm = issueToken(
      tokens,
      form({
        grant_type: 'refresh_token',
        refresh_token: String(first.refresh_token),
        scope: 'https://management.azure.com/.default offline_access',
      }),
      { clientId: api.clientId, clientSecret: undefined },
    );
    // Assess
    expect(claimsOf(arm.access_token)).toMatchObject({
      aud: 'https://management.azure.com',
      upn: 'alice@sandbox.test',
      scp: 'user_impersonation',
      ver: '1.0',
    });
  });

  it.each([
    [
      'a wrong password',
      () => asUser(`${api.identifierUri}/.default`, alice.username, 'nope'),
      400,
      'invalid_grant',
      'AADSTS50126: Error validating credentials due to invalid username or password.',
    ],
    [
      'an unknown user',
      () => asUser(`${api.identifierUri}/.default`, 'mallory@sandbox.test', 'x'),
      400,
      'invalid_grant',
      `AADSTS50034: The user account {EUII Hidden} does not exist in the ${tenant} directory. To sign into this application, the account must be added to the directory.`,
    ],
    [
      'a secret from the public client',
      () => asUser(`${api.identifierUri}/.default`, alice.username, alice.password, 'x'),
      401,
      'invalid_client',
      "AADSTS700025: Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
    ],
    [
      'a wrong client secret',
      () => asApp(`${api.identifierUri}/.default`, 'nope'),
      401,
      'invalid_client',
      `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${ci.clientId}'.`,
    ],
    [
      'client credentials for the public client',
      () => asApp(`${api.identifierUri}/.default`, '', api.clientId),
      401,
      'invalid_client',
      "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    ],
    [
      'an unknown client',
      () => asApp(`${api.identifierUri}/.default`, 'x', '99999999-9999-4999-8999-999999999999'),
      400,
      'unauthorized_client',
      `AADSTS700016: Application with identifier '99999999-9999-4999-8999-999999999999' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ],
    [
      'client credentials without /.default',
      () => asApp(`${api.identifierUri}/access_as_user`),
      400,
      'invalid_scope',
      `AADSTS1002012: The provided value for scope ${api.identifierUri}/access_as_user is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ],
    [
      'an unknown resource',
      () => asApp('https://vault.azure.net/.default'),
      400,
      'invalid_request',
      `AADSTS500011: The resource principal named https://vault.azure.net was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    ],
    [
      'two resources at once',
      () => asUser(`${api.identifierUri}/.default https://management.azure.com/.default`),
      400,
      'invalid_scope',
      `AADSTS28000: Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${api.identifierUri}/.default https://management.azure.com/.default is not valid.`,
    ],
    [
      'a permission the API does not expose',
      () => asUser(`${api.identifierUri}/admin_everything`),
      400,
      'invalid_client',
      `AADSTS650053: The application '${api.clientId}' asked for scope 'admin_everything' that doesn't exist on the resource '${api.identifierUri}'. Contact the app vendor.`,
    ],
    [
      'a tampered refresh token',
      () =>
        issueToken(
          tokens,
          form({
            grant_type: 'refresh_token',
            refresh_token: 'abc.def',
            scope: `${api.identifierUri}/.default`,
          }),
          { clientId: api.clientId, clientSecret: undefined },
        ),
      400,
      'invalid_grant',
      'AADSTS9002313: Invalid request. Request is malformed or invalid.',
    ],
    [
      'an unsupported grant',
      () =>
        issueToken(tokens, form({ grant_type: 'implicit' }), {
          clientId: api.clientId,
          clientSecret: undefined,
        }),
      400,
      'unsupported_grant_type',
      "AADSTS70003: The app requested an unsupported grant type 'implicit'.",
    ],
    [
      'no grant type',
      () => issueToken(tokens, form({}), { clientId: api.clientId, clientSecret: undefined }),
      400,
      'invalid_request',
      "AADSTS900144: The request body must contain the following parameter: 'grant_type'.",
    ],
  ])('refuses %s', (_label, fn, status, error, message) => {
    expect(errorOf(fn)).toMatchObject({ status, error, message });
  });
});
