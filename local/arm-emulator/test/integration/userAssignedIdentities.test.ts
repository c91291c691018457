/**
 * User-assigned identities through `@azure/arm-msi`, as `Azure/azure-rest-api-specs`
 * specification/msi/…/stable/2023-01-31/examples describes them: `IdentityCreate.json` (a
 * synchronous PUT, 201 with `properties.principalId`, `clientId` and `tenantId`), `IdentityUpdate.json`
 * and `IdentityDelete.json` (200, or 204 when it is gone). The identity endpoint then issues tokens
 * for them, as App Service does for identities assigned to a site.
 */
import { randomUUID } from 'node:crypto';
import { ManagedIdentityCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READER_ROLE_ID } from '../../src/index.js';
import { startTestEmulator, type TestEmulator } from '../../src/testing/startTestEmulator.js';
import { armClients, errorOf, POLL, rawRequest, roleDefinitionId } from './armClients.js';

let arm: TestEmulator;
let clients: ReturnType<typeof armClients>;

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;

const identityToken = (query: string) =>
  fetch(
    `${arm.identityEndpoint}?resource=https://management.azure.com&api-version=2019-08-01&${query}`,
    {
      headers: { 'X-IDENTITY-HEADER': arm.identityHeader },
    },
  );

beforeAll(async () => {
  arm = await startTestEmulator();
  clients = armClients(arm);
  await clients.resources.resourceGroups.createOrUpdate('rg-id', { location: 'westeurope' });
});
afterAll(() => arm.close());

describe('user-assigned identities', () => {
  it('creates one synchronously: 201 with principalId, clientId and tenantId', async () => {
    // Prepare
    const token = (await clients.credential.getToken('https://management.azure.com/.default'))
      ?.token;
    // Act
    const res = await rawRequest(
      arm,
      'PUT',
      `/subscriptions/${arm.subscriptionId}/resourceGroups/rg-id/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-app?api-version=2023-01-31`,
      { token, body: JSON.stringify({ location: 'westeurope', tags: { key1: 'value1' } }) },
    );
    // Assess
    expect(res.status).toBe(201);
    expect(res.headers['azure-asyncoperation']).toBeUndefined();
    expect(res.body).toEqual({
      id: `/subscriptions/${arm.subscriptionId}/resourcegroups/rg-id/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-app`,
      name: 'id-app',
      type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
      location: 'westeurope',
      tags: { key1: 'value1' },
      properties: {
        tenantId: arm.tenantId,
        principalId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        clientId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
    });
  });

  it('reads, lists, updates and keeps the ids across a re-PUT', async () => {
    // Act
    const created = await clients.msi.userAssignedIdentities.get('rg-id', 'id-app');
    const again = await clients.msi.userAssignedIdentities.createOrUpdate('rg-id', 'id-app', {
      location: 'westeurope',
      tags: { key2: 'value2' },
    });
    const updated = await clients.msi.userAssignedIdentities.update('rg-id', 'id-app', {
      tags: { key3: 'value3' },
    });
    const inGroup = [];
    for await (const identity of clients.msi.userAssignedIdentities.listByResourceGroup('rg-id'))
      inGroup.push(identity.name);
    const inSubscription = [];
    for await (const identity of clients.msi.userAssignedIdentities.listBySubscription())
      inSubscription.push(identity.name);
    // Assess
    expect(again.principalId).toBe(created.principalId);
    expect(again.clientId).toBe(created.clientId);
    expect(updated.tags).toEqual({ key3: 'value3' });
    expect(inGroup).toEqual(['id-app']);
    expect(inSubscription).toEqual(['id-app']);
  });

  it('issues tokens for it by client_id, object_id and mi_res_id', async () => {
    // Prepare
    const identity = await clients.msi.userAssignedIdentities.get('rg-id', 'id-app');
    // Act
    const answers = await Promise.all(
      [
        `client_id=${identity.clientId}`,
        `object_id=${identity.principalId}`,
        `mi_res_id=${encodeURIComponent(identity.id ?? '')}`,
      ].map(
        async (query) =>
          (await (await identityToken(query)).json()) as {
            access_token: string;
            client_id: string;
          },
      ),
    );
    // Assess
    for (const answer of answers) {
      expect(answer.client_id).toBe(identity.clientId);
      expect(claimsOf(answer.access_token)).toMatchObject({
        oid: identity.principalId,
        appid: identity.clientId,
        xms_mirid: identity.id,
        idtyp: 'app',
      });
    }
  });

  it('acts with exactly the roles assigned to it, through ManagedIdentityCredential', async () => {
    // Prepare
    const identity = await clients.msi.userAssignedIdentities.get('rg-id', 'id-app');
    await clients.authorization.roleAssignments.create(
      `/subscriptions/${arm.subscriptionId}/resourceGroups/rg-id`,
      randomUUID(),
      {
        roleDefinitionId: roleDefinitionId(arm, READER_ROLE_ID),
        principalId: identity.principalId as string,
      },
    );
    const asIdentity = armClients(
      arm,
      new ManagedIdentityCredential({ clientId: identity.clientId as string }),
    );
    // Act
    const group = await asIdentity.resources.resourceGroups.get('rg-id');
    const error = await errorOf(
      asIdentity.resources.resourceGroups.createOrUpdate('rg-other', { location: 'westeurope' }),
    );
    // Assess
    expect(group.name).toBe('rg-id');
    expect(error.message).toBe(
      `The client '${identity.principalId}' with object id '${identity.principalId}' does not have authorization to perform action 'Microsoft.Resources/subscriptions/resourcegroups/write' over scope '/subscriptions/${arm.subscriptionId}/resourcegroups/rg-other' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    );
  });

  it('deletes synchronously with 200, then answers 204, and the endpoint stops issuing tokens', async () => {
    // Prepare
    const identity = await clients.msi.userAssignedIdentities.get('rg-id', 'id-app');
    const token = (await clients.credential.getToken('https://management.azure.com/.default'))
      ?.token;
    const path = `/subscriptions/${arm.subscriptionId}/resourceGroups/rg-id/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-app?api-version=2023-01-31`;
    // Act
    const first = await rawRequest(arm, 'DELETE', path, { token });
    const second = await rawRequest(arm, 'DELETE', path, { token });
    const refused = await identityToken(`client_id=${identity.clientId}`);
    // Assess
    expect([first.status, second.status]).toEqual([200, 204]);
    expect(refused.status).toBe(400);
  });

  it('goes with its group', async () => {
    // Prepare
    const identity = await clients.msi.userAssignedIdentities.createOrUpdate('rg-id', 'id-short', {
      location: 'westeurope',
    });
    // Act
    await clients.resources.resourceGroups.beginDeleteAndWait('rg-id', POLL);
    const refused = await identityToken(`client_id=${identity.clientId}`);
    // Assess
    expect(refused.status).toBe(400);
  });

  it('answers an api-version the specs do not publish with 400 and the ones they do', async () => {
    // Prepare
    const token = (await clients.credential.getToken('https://management.azure.com/.default'))
      ?.token;
    // Act
    const res = await rawRequest(
      arm,
      'GET',
      `/subscriptions/${arm.subscriptionId}/providers/Microsoft.ManagedIdentity/userAssignedIdentities?api-version=2019-01-01`,
      { token },
    );
    // Assess
    expect(res.status).toBe(400);
    expect((res.body as { error: { code: string; message: string } }).error.message).toContain(
      "'2026-05-31,2026-04-30,2025-05-31-preview,2025-01-31-preview,2024-11-30,2023-07-31-preview,2023-01-31,",
    );
  });
});
