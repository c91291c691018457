/**
 * The local Entra ID through `@azure/identity`'s `ClientSecretCredential` and
 * `UsernamePasswordCredential`, unmodified but for `authorityHost` and `disableInstanceDiscovery`.
 * MSAL Node's requests are the contract (AzureAD/microsoft-authentication-library-for-js,
 * msal-common `Authority.ts`: it fetches `{authority}/v2.0/.well-known/openid-configuration`,
 * requires `authorization_endpoint`, `token_endpoint`, `issuer` and `jwks_uri`, and accepts an
 * issuer on the authority's own host; msal-node `UsernamePasswordClient.ts` posts the password
 * grant with `client_info=1`). Tokens carry the claims Microsoft documents for v1 and v2 access
 * tokens; errors carry Entra's AADSTS codes.
 */
import { createPublicKey, randomUUID, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { ClientSecretCredential, UsernamePasswordCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRIBUTOR_ROLE_ID, SYSTEM_IDENTITY } from '../../src/index.js';
import { startTestEmulator, type TestEmulator } from '../../src/testing/startTestEmulator.js';
import {
  armClients,
  errorOf,
  rawRequest,
  roleDefinitionId,
  servicePrincipal,
  user,
} from './armClients.js';

let arm: TestEmulator;

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
const headerOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;

/** HTTPS to the local Entra ID, trusting only the emulator's CA. */
function entra(
  method: string,
  path: string,
  form?: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const body = form ? new URLSearchParams(form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = request(
      `${arm.entra.authorityHost}${path}`,
      {
        method,
        ca: readFileSync(arm.caCertPath),
        headers: body ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Checks a token's RS256 signature against the JWKS the tenant publishes. */
async function verifiesAgainstJwks(token: string): Promise<boolean> {
  const { body } = await entra('GET', `/${arm.tenantId}/discovery/v2.0/keys`);
  const [head, payload, signature] = token.split('.') as [string, string, string];
  const jwk = (body.keys as Array<Record<string, string>>).find(
    (key) => key.kid === headerOf(token).kid,
  );
  if (!jwk) return false;
  const key = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
  return verify(
    'sha256',
    Buffer.from(`${head}.${payload}`),
    key,
    Buffer.from(signature, 'base64url'),
  );
}

beforeAll(async () => {
  arm = await startTestEmulator();
});
afterAll(() => arm.close());

describe('the local Entra ID', () => {
  it('serves its OpenID configuration over https, with endpoints under the authority', async () => {
    // Act
    const { status, body } = await entra(
      'GET',
      `/${arm.tenantId}/v2.0/.well-known/openid-configuration`,
    );
    // Assess
    expect(status).toBe(200);
    expect(arm.entra.authority).toBe(`${arm.entra.authorityHost}/${arm.tenantId}`);
    expect(body).toMatchObject({
      issuer: `${arm.entra.authority}/v2.0`,
      token_endpoint: `${arm.entra.authority}/oauth2/v2.0/token`,
      jwks_uri: `${arm.entra.authority}/discovery/v2.0/keys`,
      authorization_endpoint: `${arm.entra.authority}/oauth2/v2.0/authorize`,
      id_token_signing_alg_values_supported: ['RS256'],
    });
  });

  it('publishes two RS256 keys, each with its certificate', async () => {
    const { body } = await entra('GET', `/${arm.tenantId}/discovery/v2.0/keys`);
    const keys = body.keys as Array<Record<string, unknown>>;
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key).toMatchObject({
        kty: 'RSA',
        use: 'sig',
        e: 'AQAB',
        kid: key.x5t,
        x5c: [expect.any(String)],
      });
    }
  });

  it('gives a service principal an app token for the API through ClientSecretCredential', async () => {
    // Prepare
    const pipeline = servicePrincipal(arm, 'sandbox-pipeline');
    // Act
    const { token } = await pipeline.credential.getToken(arm.entra.apiScope);
    // Assess
    expect(await verifiesAgainstJwks(token)).toBe(true);
    expect(claimsOf(token)).toMatchObject({
      aud: arm.entra.clientId,
      iss: `${arm.entra.authority}/v2.0`,
      azp: pipeline.clientId,
      idtyp: 'app',
      oid: pipeline.objectId,
      roles: ['Sandbox.User'],
      tid: arm.tenantId,
      ver: '2.0',
    });
  });

  it('signs a test user in through UsernamePasswordCredential, with their app roles', async () => {
    // Prepare
    const carol = user(arm, 'carol@sandbox.test');
    // Act
    const { token } = await carol.credential.getToken(arm.entra.apiScope);
    // Assess
    expect(await verifiesAgainstJwks(token)).toBe(true);
    expect(claimsOf(token)).toMatchObject({
      aud: arm.entra.clientId,
      oid: carol.objectId,
      preferred_username: 'carol@sandbox.test',
      name: 'Carol',
      roles: ['Sandbox.User', 'Sandbox.Approver'],
      scp: 'access_as_user',
      azp: arm.entra.clientId,
      ver: '2.0',
    });
  });

  it('lets a test user call ARM as themselves, authorized by RBAC', async () => {
    // Prepare
    const alice = user(arm, 'alice@sandbox.test');
    const asAlice = armClients(arm, alice.credential);
    const before = await errorOf(
      asAlice.resources.resourceGroups.createOrUpdate('rg-alice', { location: 'westeurope' }),
    );
    await armClients(arm).authorization.roleAssignments.create(
      `/subscriptions/${arm.subscriptionId}`,
      randomUUID(),
      {
        roleDefinitionId: roleDefinitionId(arm, CONTRIBUTOR_ROLE_ID),
        principalId: alice.objectId,
      },
    );
    // Act
    const group = await asAlice.resources.resourceGroups.createOrUpdate('rg-alice', {
      location: 'westeurope',
    });
    const { token } = await alice.credential.getToken('https://management.azure.com/.default');
    // Assess
    expect(before).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
    expect(before.message).toMatch(/^The client 'alice@sandbox\.test' with object id /);
    expect(group.name).toBe('rg-alice');
    expect(claimsOf(token)).toMatchObject({
      aud: 'https://management.azure.com',
      iss: `https://sts.windows.net/${arm.tenantId}/`,
      upn: 'alice@sandbox.test',
      idtyp: 'user',
      scp: 'user_impersonation',
      ver: '1.0',
    });
  });

  it('answers a wrong password with AADSTS50126, through the credential', async () => {
    const credential = new UsernamePasswordCredential(
      arm.tenantId,
      arm.entra.clientId,
      'bob@sandbox.test',
      'wrong',
      {
        authorityHost: arm.entra.authorityHost,
        disableInstanceDiscovery: true,
      },
    );
    const error = await errorOf(credential.getToken(arm.entra.apiScope));
    expect(error.message).toContain(
      'AADSTS50126: Error validating credentials due to invalid username or password.',
    );
  });

  it('answers a wrong client secret with AADSTS7000215, through the credential', async () => {
    const pipeline = servicePrincipal(arm, 'sandbox-pipeline');
    const credential = new ClientSecretCredential(
      arm.tenantId,
      pipeline.clientId,
      'not-the-secret',
      {
        authorityHost: arm.entra.authorityHost,
        disableInstanceDiscovery: true,
      },
    );
    const error = await errorOf(credential.getToken(arm.entra.apiScope));
    expect(error.message).toContain('AADSTS7000215: Invalid client secret provided.');
  });

  it('answers Entra’s error body shape', async () => {
    // Act
    const { status, body } = await entra('POST', `/${arm.tenantId}/oauth2/v2.0/token`, {
      grant_type: 'password',
      client_id: arm.entra.clientId,
      client_secret: 'public clients have none',
      username: 'bob@sandbox.test',
      password: 'x',
      scope: arm.entra.apiScope,
    });
    // Assess
    expect(status).toBe(401);
    expect(body).toMatchObject({
      error: 'invalid_client',
      error_codes: [700025],
      error_uri: 'https://login.microsoftonline.com/error?code=700025',
    });
    expect(body.error_description).toMatch(
      /^AADSTS700025: Client is public so neither 'client_assertion' nor 'client_secret' should be presented\.\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/,
    );
  });

  it('refuses an unknown tenant and a GET of the token endpoint', async () => {
    const tenant = await entra(
      'GET',
      '/11111111-1111-1111-1111-111111111111/v2.0/.well-known/openid-configuration',
    );
    const get = await entra('GET', `/${arm.tenantId}/oauth2/v2.0/token`);
    expect(tenant).toMatchObject({
      status: 400,
      body: { error: 'invalid_tenant', error_codes: [90002] },
    });
    expect(get).toMatchObject({
      status: 400,
      body: { error: 'invalid_request', error_codes: [900561] },
    });
  });
});

describe('one token service for Entra and the managed identity', () => {
  it('signs managed identity tokens with the same published keys', async () => {
    const res = await fetch(
      `${arm.identityEndpoint}?resource=https://storage.azure.com&api-version=2019-08-01`,
      {
        headers: { 'X-IDENTITY-HEADER': arm.identityHeader },
      },
    );
    const { access_token } = (await res.json()) as { access_token: string };
    expect(headerOf(access_token)).toMatchObject({ alg: 'RS256' });
    expect(await verifiesAgainstJwks(access_token)).toBe(true);
    expect(claimsOf(access_token)).toMatchObject({
      iss: `https://sts.windows.net/${arm.tenantId}/`,
      oid: SYSTEM_IDENTITY.principalId,
    });
  });

  it('rotates keys: new tokens carry the new kid, older ones verify until the next rotation', async () => {
    // Prepare
    const operations = servicePrincipal(arm, 'sandbox-operations');
    const mint = async () => {
      const { body } = await entra('POST', `/${arm.tenantId}/oauth2/v2.0/token`, {
        grant_type: 'client_credentials',
        client_id: operations.clientId,
        client_secret: operations.clientSecret,
        scope: 'https://management.azure.com/.default',
      });
      return String(body.access_token);
    };
    const before = await mint();
    // Act
    const once = await arm.control.rotateSigningKeys();
    const after = await mint();
    const stillAccepted = await rawRequest(arm, 'GET', `/subscriptions?api-version=2022-12-01`, {
      token: before,
    });
    await arm.control.rotateSigningKeys();
    const refused = await rawRequest(arm, 'GET', `/subscriptions?api-version=2022-12-01`, {
      token: before,
    });
    // Assess
    expect(headerOf(after).kid).toBe(once.active);
    expect(once.kids).toEqual([headerOf(before).kid, once.active]);
    expect(stillAccepted.status).toBe(200);
    expect(refused.status).toBe(401);
    expect((refused.body as { error: { code: string } }).error.code).toBe(
      'InvalidAuthenticationToken',
    );
  });
});
