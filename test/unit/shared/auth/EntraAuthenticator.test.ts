import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  TEST_TENANT,
  testAuthenticator,
  testCallers,
  testPublicKeyPem,
  testToken,
} from '../../../support/auth/testTokens.js';
import { httpRequestFactory } from '../../../support/provision/httpRequestFactory.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const withToken = (token: string | undefined) =>
  httpRequestFactory({
    path: '/api/sandboxes',
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });

/** What `authenticate` makes of `token`: the caller, or the status and message it refused with. */
async function verdict(token: string | undefined, headers?: Record<string, string>) {
  const authenticator = await testAuthenticator();
  const request = headers ? httpRequestFactory({ path: '/x', headers }) : withToken(token);
  try {
    return { caller: await authenticator.authenticate(request) };
  } catch (error) {
    const e = error as { status?: number; code?: string; message: string };
    return { status: e.status, code: e.code, message: e.message };
  }
}

describe('EntraAuthenticator', () => {
  it('proves a user from a valid token: object id, name and roles', async () => {
    // Act
    const { caller } = await verdict(await testToken(testCallers.ana));

    // Assess
    expect(caller).toEqual({
      id: 'oid-ana',
      name: 'ana@contoso.com',
      roles: ['Sandbox.User'],
      kind: 'user',
      via: 'token',
    });
  });

  it('proves an application from an app token', async () => {
    // Act
    const { caller } = await verdict(
      await testToken({
        id: 'oid-pipeline',
        name: 'pipeline-client',
        roles: ['Sandbox.Admin'],
        kind: 'application',
      }),
    );

    // Assess
    expect(caller).toMatchObject({
      id: 'oid-pipeline',
      name: 'pipeline-client',
      kind: 'application',
    });
  });

  it('accepts the application ID URI as audience, and a v1 issuer of the tenant', async () => {
    // Act
    const { caller } = await verdict(
      await testToken(testCallers.ana, {
        aud: 'api://66666666-7777-4888-8999-000000000000',
        iss: `https://sts.windows.net/${TEST_TENANT}/`,
      }),
    );

    // Assess
    expect(caller).toMatchObject({ id: 'oid-ana' });
  });

  it('is no caller when the request carries no credential', async () => {
    expect(await verdict(undefined)).toEqual({ caller: undefined });
  });

  it.each([
    {
      description: 'an expired token',
      token: () => testToken(testCallers.ana, {}, { expiresInSeconds: -120 }),
      message: 'The token has expired.',
    },
    {
      description: 'a wrong audience',
      token: () => testToken(testCallers.ana, { aud: 'api://someone-else' }),
      message: 'The token was not issued for this API (audience).',
    },
    {
      description: 'a wrong issuer',
      token: () => testToken(testCallers.ana, { iss: 'https://login.evil/x/v2.0' }),
      message: 'The token was not issued by the expected authority (issuer).',
    },
    {
      description: 'another tenant',
      token: () => testToken(testCallers.ana, { tid: '99999999-2222-4333-8444-555555555555' }),
      message: 'The token was issued for another tenant.',
    },
    {
      description: 'a token not valid yet',
      token: () => testToken(testCallers.ana, { nbf: Math.floor(Date.now() / 1000) + 600 }),
      message: 'The token is not valid yet.',
    },
    {
      description: 'alg none',
      token: async () => {
        const [, payload] = (await testToken(testCallers.ops)).split('.');
        return `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`;
      },
      message: 'The token is not signed with RS256.',
    },
    {
      description: 'HS256 signed with the public key as the secret',
      token: async () => {
        const [, payload] = (await testToken(testCallers.ops)).split('.');
        const head = b64({ alg: 'HS256', typ: 'JWT', kid: 'test-key-1' });
        const signature = createHmac('sha256', await testPublicKeyPem())
          .update(`${head}.${payload}`)
          .digest('base64url');
        return `${head}.${payload}.${signature}`;
      },
      message: 'The token is not signed with RS256.',
    },
    {
      description: 'an unknown kid',
      token: () => testToken(testCallers.ana, {}, { kid: 'nobody-knows-me' }),
      message: 'The token is signed with a key the authority does not publish.',
    },
    {
      description: 'a tampered payload',
      token: async () => {
        const [head, , signature] = (await testToken(testCallers.ana)).split('.');
        const forged = b64({
          ...JSON.parse(
            Buffer.from((await testToken(testCallers.ana)).split('.')[1]!, 'base64url').toString(),
          ),
          roles: ['Sandbox.Admin'],
        });
        return `${head}.${forged}.${signature}`;
      },
      message: 'The token signature does not verify.',
    },
    {
      description: 'a malformed token',
      token: async () => 'abc.def.ghi',
      message: 'The token is malformed.',
    },
    {
      description: 'a token without an object id',
      token: () => testToken(testCallers.ana, { oid: undefined }),
      message: 'The token carries no valid object id (oid).',
    },
    {
      description: 'a name with control characters',
      token: () => testToken({ ...testCallers.ana, name: 'ana\n\u0000' }),
      message: 'The token names its principal with characters the API does not accept.',
    },
  ])('refuses $description with 401', async ({ token, message }) => {
    // Act
    const result = await verdict(await token());

    // Assess
    expect(result).toEqual({ status: 401, code: 'InvalidToken', message });
  });

  it('refuses an Authorization header that is not a bearer token', async () => {
    expect(await verdict(undefined, { authorization: 'Basic YWxhZGRpbjpvcGVu' })).toEqual({
      status: 401,
      code: 'InvalidToken',
      message: 'The Authorization header must be "Bearer <token>".',
    });
  });

  it('ignores x-ms-client-principal unless App Service Authentication is in front', async () => {
    // Prepare
    const header = Buffer.from(
      JSON.stringify({
        auth_typ: 'aad',
        claims: [
          { typ: 'oid', val: 'forged' },
          { typ: 'roles', val: 'Sandbox.Admin' },
        ],
      }),
    ).toString('base64');

    // Act
    const ignored = await verdict(undefined, { 'x-ms-client-principal': header });
    const trusted = await (await testAuthenticator({ appServiceAuth: true })).authenticate(
      httpRequestFactory({ path: '/x', headers: { 'x-ms-client-principal': header } }),
    );

    // Assess
    expect(ignored).toEqual({ caller: undefined });
    expect(trusted).toMatchObject({ id: 'forged', roles: ['Sandbox.Admin'], via: 'app-service' });
  });

  it('makes a principal that ADMIN_PRINCIPALS lists an admin', async () => {
    // Act
    const caller = await (await testAuthenticator({ adminPrincipals: ['OID-ANA'] })).authenticate(
      withToken(await testToken(testCallers.ana)),
    );

    // Assess
    expect(caller?.roles).toEqual(['Sandbox.User', 'Sandbox.Admin']);
  });
});
