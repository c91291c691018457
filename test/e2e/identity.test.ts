/**
 * Who is calling, end to end: real `@azure/identity` credentials get tokens from the local Entra
 * ID (the emulator's), the app verifies them against the tenant's OpenID configuration and keys,
 * and app roles decide. Function keys and forged headers prove nothing.
 */
import { ClientSecretCredential, UsernamePasswordCredential } from '@azure/identity';
import type { LocalEntra } from '@sandbox-automation/arm-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, waitForOperation } from '../support/provision/e2eClient.js';
import { principalHeader } from '../support/provision/principalHeader.js';
import { type Stack, startStack } from '../support/stack.js';

let stack: Stack;
let entra: LocalEntra;

beforeAll(async () => {
  stack = await startStack();
  entra = await stack.arm.control.entra();
});
afterAll(async () => {
  await stack?.stop();
});

const local = () => ({ authorityHost: entra.authorityHost, disableInstanceDiscovery: true });
const user = (name: string) => entra.users.find((u) => u.username === name)!;
const withToken = (token: string, init: RequestInit & { key?: 'none' } = {}) =>
  stack.fetch('/api/sandboxes', {
    ...init,
    key: 'none',
    as: 'nobody',
    headers: { ...init.headers, authorization: `Bearer ${token}` },
  });

describe('signing in', () => {
  it('takes a user token from UsernamePasswordCredential, and the user owns what they request', async () => {
    // Prepare
    const olga = user('olga@contoso.com');
    const credential = new UsernamePasswordCredential(
      entra.tenantId,
      entra.clientId,
      olga.username,
      olga.password,
      local(),
    );
    const { token } = (await credential.getToken(entra.apiScope))!;

    // Act
    const accepted = await withToken(token, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'id-olga', location: 'westeurope', blueprint: 'empty' }),
    });
    const body = (await accepted.json()) as { operationId: string };
    const done = await waitForOperation(stack, body.operationId);

    // Assess
    expect(accepted.status).toBe(202);
    expect(done).toMatchObject({
      status: 'succeeded',
      owner: olga.objectId,
      requestedBy: 'olga@contoso.com',
    });
  });

  it('takes an application token from ClientSecretCredential', async () => {
    // Prepare
    const pipeline = entra.servicePrincipals.find((p) => p.displayName === 'sandbox-pipeline')!;
    const credential = new ClientSecretCredential(
      entra.tenantId,
      pipeline.clientId,
      pipeline.clientSecret,
      local(),
    );
    const { token } = (await credential.getToken(entra.apiScope))!;

    // Act
    const listed = await withToken(token);

    // Assess
    expect(listed.status).toBe(200);
    expect(await listed.json()).toEqual({ value: [] });
  });

  it('refuses a token Entra ID issued for ARM, not for this API', async () => {
    // Prepare
    const olga = user('olga@contoso.com');
    const credential = new UsernamePasswordCredential(
      entra.tenantId,
      entra.clientId,
      olga.username,
      olga.password,
      local(),
    );
    const { token } = (await credential.getToken('https://management.azure.com/.default'))!;

    // Act
    const refused = await withToken(token);

    // Assess
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(await refused.json()).toMatchObject({
      status: 401,
      detail: 'The token was not issued for this API (audience).',
    });
  });

  it('keeps working across a key rotation, fetching the new key by its kid', async () => {
    // Prepare
    const before = await stack.token('ops@contoso.com');
    await stack.arm.control.rotateSigningKeys();
    const after = await (async () => {
      const { requestToken } = await import('@sandbox-automation/local-stack');
      return requestToken({ entra, arm: { caCertPath: stack.arm.caCertPath } } as never, {
        user: 'ops@contoso.com',
      });
    })();

    // Act: the app refetches the keys when a token names one it lacks (at most once a second)
    const old = await withToken(before);
    let fresh = await withToken(after);
    for (let tries = 0; fresh.status === 401 && tries < 20; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      fresh = await withToken(after);
    }

    // Assess
    expect(JSON.parse(Buffer.from(after.split('.')[0]!, 'base64url').toString()).kid).not.toBe(
      JSON.parse(Buffer.from(before.split('.')[0]!, 'base64url').toString()).kid,
    );
    expect(old.status).toBe(200);
    expect(fresh.status).toBe(200);
  });

  it('answers 401 to the function key alone, and to a forged x-ms-client-principal', async () => {
    // Act
    const keyAlone = await stack.fetch('/api/sandboxes', { as: 'nobody' });
    const forged = await stack.fetch('/api/sandboxes', {
      as: 'nobody',
      headers: {
        'x-ms-client-principal': principalHeader({
          name: 'ops@contoso.com',
          roles: ['Sandbox.Admin'],
        }),
      },
    });

    // Assess
    expect(keyAlone.status).toBe(401);
    expect(keyAlone.headers.get('www-authenticate')).toBe('Bearer');
    expect(forged.status).toBe(401);
  });

  it('answers 403 to a valid token without an app role', async () => {
    // Act
    const response = await stack.fetch('/api/sandboxes', { as: 'nobody@contoso.com' });

    // Assess
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'MissingAppRole' });
  });
});

describe('one user and another', () => {
  it("lets nobody read, extend or delete another user's sandbox, and an admin do all three", async () => {
    // Prepare
    const created = await callApi(stack, '/api/sandboxes', {
      body: { name: 'id-ana', location: 'westeurope', blueprint: 'empty' },
      as: 'ana@contoso.com',
    });
    await waitForOperation(stack, created.json.operationId);

    // Act
    const bobReads = await callApi(stack, '/api/sandboxes/id-ana', { as: 'bob@contoso.com' });
    const bobLists = await callApi(stack, '/api/sandboxes', { as: 'bob@contoso.com' });
    const bobReadsOperation = await callApi(stack, `/api/operations/${created.json.operationId}`, {
      as: 'bob@contoso.com',
    });
    const bobExtends = await callApi(stack, '/api/sandboxes/id-ana/extend', {
      body: { ttlHours: 2 },
      as: 'bob@contoso.com',
    });
    const bobDeletes = await callApi(stack, '/api/sandboxes/id-ana', {
      method: 'DELETE',
      as: 'bob@contoso.com',
    });
    const bobActsForAna = await callApi(stack, '/api/sandboxes', {
      body: {
        name: 'id-for-ana',
        owner: user('ana@contoso.com').objectId,
        location: 'westeurope',
        blueprint: 'empty',
      },
      as: 'bob@contoso.com',
    });
    const adminReads = await callApi(stack, '/api/sandboxes/id-ana', { as: 'ops@contoso.com' });
    const adminExtends = await callApi(stack, '/api/sandboxes/id-ana/extend', {
      body: { ttlHours: 2 },
      as: 'ops@contoso.com',
    });
    const adminDeletes = await callApi(stack, '/api/sandboxes/id-ana', {
      method: 'DELETE',
      as: 'ops@contoso.com',
    });

    // Assess
    expect(
      [bobReads, bobReadsOperation, bobExtends, bobDeletes, bobActsForAna].map((r) => r.status),
    ).toEqual([403, 403, 403, 403, 403]);
    expect(bobLists.json.value.map((s: { name: string }) => s.name)).not.toContain('id-ana');
    expect([adminReads.status, adminExtends.status, adminDeletes.status]).toEqual([200, 200, 202]);
    expect(adminReads.json).toMatchObject({
      owner: user('ana@contoso.com').objectId,
      ownerName: 'ana@contoso.com',
    });
  });
});
