import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { ManagedIdentityCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_USER_ASSIGNED_IDENTITIES, SYSTEM_IDENTITY } from '../../src/index.js';
import { startTestEmulator, type TestEmulator } from '../../src/testing/startTestEmulator.js';
import { armClients, armToken, errorOf, rawRequest } from './armClients.js';

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;

const staticCredential = (token: string): TokenCredential => ({
  getToken: async (): Promise<AccessToken> => ({
    token,
    expiresOnTimestamp: Date.now() + 3600_000,
  }),
});

describe('managed identity and ARM authentication', () => {
  let arm: TestEmulator;
  let clients: ReturnType<typeof armClients>;

  beforeAll(async () => {
    arm = await startTestEmulator();
    clients = armClients(arm);
  });
  afterAll(() => arm.close());

  it('DefaultAzureCredential gets a JWT-shaped token for the system identity', async () => {
    // Act
    const token = await armToken(clients.credential);
    // Assess
    const claims = claimsOf(token);
    expect(claims).toMatchObject({
      aud: 'https://management.azure.com',
      iss: expect.stringMatching(/^https:\/\/sts\.windows\.net\/[0-9a-f-]+\/$/),
      oid: SYSTEM_IDENTITY.principalId,
      appid: SYSTEM_IDENTITY.clientId,
    });
    expect(claims.exp).toBeGreaterThan(Date.now() / 1000 + 3600);
  });

  it('client_id selects a user-assigned identity', async () => {
    // Prepare
    const user = DEFAULT_USER_ASSIGNED_IDENTITIES[0];
    const credential = new ManagedIdentityCredential({ clientId: user?.clientId ?? '' });
    // Act
    const token = await credential.getToken('https://management.core.windows.net/.default');
    // Assess
    expect(claimsOf(token.token)).toMatchObject({ oid: user?.principalId, appid: user?.clientId });
  });

  it('the identity endpoint answers the App Service shape, and 401 without the right header', async () => {
    // Act
    const url = `${arm.identityEndpoint}?resource=https://management.azure.com&api-version=2019-08-01`;
    const ok = await fetch(url, { headers: { 'X-IDENTITY-HEADER': arm.identityHeader } });
    const wrong = await fetch(url, { headers: { 'X-IDENTITY-HEADER': 'wrong' } });
    const missing = await fetch(url);
    const unknownClient = await fetch(`${url}&client_id=00000000-0000-0000-0000-000000000000`, {
      headers: { 'X-IDENTITY-HEADER': arm.identityHeader },
    });
    // Assess
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual([
      'access_token',
      'client_id',
      'expires_on',
      'resource',
      'token_type',
    ]);
    expect(body).toMatchObject({
      token_type: 'Bearer',
      resource: 'https://management.azure.com',
      client_id: SYSTEM_IDENTITY.clientId,
    });
    expect(body.expires_on).toMatch(/^\d+$/);
    expect(wrong.status).toBe(401);
    expect(missing.status).toBe(401);
    expect(unknownClient.status).toBe(400);
  });

  it('a credential with the wrong IDENTITY_HEADER cannot get a token', async () => {
    // The SDK keeps the identity source per process, so this goes through the raw protocol
    // the credential uses, with a scope no earlier test cached.
    const res = await fetch(
      `${arm.identityEndpoint}?resource=https://vault.azure.net&api-version=2019-08-01`,
      {
        headers: { 'X-IDENTITY-HEADER': `${arm.identityHeader}x` },
      },
    );
    expect(res.status).toBe(401);
  });

  it('ARM answers 401 AuthenticationFailed with WWW-Authenticate when the token is missing', async () => {
    const res = await rawRequest(
      arm,
      'GET',
      `/subscriptions/${arm.subscriptionId}/resourcegroups?api-version=2025-04-01`,
    );
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      error: {
        code: 'AuthenticationFailed',
        message: "Authentication failed. The 'Authorization' header is missing.",
      },
    });
    expect(res.headers['www-authenticate']).toMatch(
      /^Bearer authorization_uri="https:\/\/login\.microsoftonline\.com\/common", error="invalid_token"/,
    );
  });

  it('ARM answers 401 InvalidAuthenticationToken to a forged token, through the SDK', async () => {
    // Prepare
    const real = await armToken(clients.credential);
    const [head, body] = real.split('.');
    const forged = armClients(arm, staticCredential(`${head}.${body}.c2lnbmF0dXJl`));
    // Act
    const error = await errorOf(forged.resources.resourceGroups.get('any'));
    // Assess
    expect(error).toMatchObject({ statusCode: 401, code: 'InvalidAuthenticationToken' });
  });

  it('ARM answers 401 ExpiredAuthenticationToken once the token has expired', async () => {
    // Prepare
    const token = await armToken(clients.credential);
    const stale = armClients(arm, staticCredential(token));
    await stale.resources.resourceGroups.createOrUpdate('rg-auth', { location: 'westeurope' });
    // Act
    await arm.control.advanceClock(25 * 3600);
    const error = await errorOf(stale.resources.resourceGroups.get('rg-auth'));
    const raw = await rawRequest(
      arm,
      'GET',
      `/subscriptions/${arm.subscriptionId}/resourcegroups/rg-auth?api-version=2025-04-01`,
      { token },
    );
    // Assess
    expect(error).toMatchObject({ statusCode: 401, code: 'ExpiredAuthenticationToken' });
    expect(error.message).toMatch(
      /^The access token expiry UTC time '.+' is earlier than current UTC time '.+'\.$/,
    );
    expect(raw.headers['www-authenticate']).toContain(
      'error_description="The access token is expired."',
    );
  });

  it('ARM refuses a token for another audience', async () => {
    // Prepare
    const res = await fetch(
      `${arm.identityEndpoint}?resource=https://storage.azure.com&api-version=2019-08-01`,
      {
        headers: { 'X-IDENTITY-HEADER': arm.identityHeader },
      },
    );
    const { access_token } = (await res.json()) as { access_token: string };
    // Act
    const raw = await rawRequest(arm, 'GET', `/subscriptions?api-version=2025-04-01`, {
      token: access_token,
    });
    // Assess
    expect(raw.status).toBe(401);
    expect((raw.body as { error: { code: string } }).error.code).toBe(
      'InvalidAuthenticationTokenAudience',
    );
  });
});
